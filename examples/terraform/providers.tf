provider "aws" {
  region = "eu-west-1"
  default_tags {
    tags = {
      CostCenter = "CC-1042"
      Owner      = "platform-team"
    }
  }
}

provider "aws" {
  alias  = "us"
  region = "us-east-1"
  # No default_tags here: resources on this provider must tag themselves.
}
