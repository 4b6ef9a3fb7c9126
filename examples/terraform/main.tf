resource "aws_s3_bucket" "assets" {
  bucket = "storefront-assets"
  tags   = local.common
}

resource "aws_s3_bucket" "logs" {
  provider = aws.us
  bucket   = "storefront-logs"
  tags = merge(local.common, {
    Environment = "prod"        # not an allowed value
    costcenter  = "CC-1042"     # wrong case
  })
}

resource "aws_instance" "web" {
  ami           = "ami-12345678"
  instance_type = "t3.micro"
  tags = {
    Environment = "production"
    Owner       = var.owner_override
    "aws:team"  = "web"         # reserved prefix
  }
}

resource "aws_iam_role_policy_attachment" "web" {
  role       = "web"
  policy_arn = "arn:aws:iam::aws:policy/ReadOnlyAccess"
}
