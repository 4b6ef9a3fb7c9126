a = <<EOT
plain line
  indented line with trailing spaces   
	tab indented
line with "quotes" and 'single' and $ and % and \backslash
${var.x} at line start and ${var.y} in the middle
%{ if var.on }directive%{ endif }
EOTX is not the marker
  EOT followed by more text on the same line is content, not the end marker
EOT

b = <<-EOT
    indented heredoc
      deeper ${var.x}
    EOT

c = <<EOT
EOT

d = <<END_OF_TEXT
{
  "Version": "2012-10-17",
  "Statement": [{"Effect": "Allow", "Action": ["s3:GetObject"], "Resource": "arn:aws:s3:::${var.bucket}/*"}]
}
END_OF_TEXT

e = <<EOT
$${escaped} and %%{escaped}
EOT
f = "after heredocs"
