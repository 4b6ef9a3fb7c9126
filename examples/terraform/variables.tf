variable "environment" {
  type    = string
  default = "staging"
}

variable "owner_override" {
  type = string
  # no default and no tfvars entry: unknown at lint time
}

locals {
  common = {
    Environment = var.environment
    Application = "storefront"
  }
}
