# Quoted templates: where a literal run must stop, and whitespace at its edges.
a = "plain text with spaces"
b = "  leading and trailing  "
c = "tab	inside	and	at end	"
d = "escapes \" \\ \n \r \t \u00e9 \U0001F600 end"
e = "dollar $ alone, $$ twice, $${not interpolation} and %%{not directive} and % percent"
f = "before ${var.x} between ${ var.y }after"
g = "${var.only}"
h = "  ${var.x}  "
i = "%{ if var.on }on%{ else }off%{ endif } and %{~ for k, v in var.m ~} ${k}=${v} %{~ endfor ~}"
j = "braces { } [ ] ( ) # // /* not comments */ = , : ?"
k = "unicode: café ñ 日本語 emoji 😀 and a non-breaking space: x x"
l = ""
m = " "
n = "nested ${format("%s-%s", "a b", "${var.c} d")} tail"
o = "${var.a}${var.b}literal${var.c}"
p = "trailing backslash pair \\"
block "label with spaces" "another" {
  tags = { Name = "x y", "quoted key" = "v" }
}
