# A small configuration for the demo: it needs no cloud credentials.
terraform {
  required_version = ">= 1.5.0"
}

variable "greeting" {
  type    = string
  default = "hello from tfe-client"
}

resource "terraform_data" "greeting" {
  input = var.greeting
}

resource "terraform_data" "build" {
  input = {
    at = timestamp()
  }
}

output "greeting" {
  value = terraform_data.greeting.output
}
