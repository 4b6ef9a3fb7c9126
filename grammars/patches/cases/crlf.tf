a = "crlf line"
b = <<EOT
heredoc with crlf
  second
EOT
c = "x ${var.y} z"
