// Validates YAML configuration files against a JSON Schema with ajv (draft-07).
// usage: node validate.js SCHEMA.json FILE.yaml...   prints one line per file; exit 1 if any is
// invalid, 2 when the schema or a file cannot be read.
const fs = require('fs');
const Ajv = require('ajv');
const YAML = require('yaml');

const [schemaPath, ...files] = process.argv.slice(2);
let ajv, validate;
try {
  ajv = new Ajv({allErrors: true, strict: true, allowUnionTypes: true});
  validate = ajv.compile(JSON.parse(fs.readFileSync(schemaPath, 'utf8')));
} catch (e) {
  console.error(`${schemaPath}: ${e.message}`);
  process.exit(2);
}
let bad = 0;
for (const file of files) {
  // YAML 1.2 core schema, as tagwarden reads it; an empty file is an empty map.
  let doc;
  try {
    doc = YAML.parse(fs.readFileSync(file, 'utf8')) ?? {};
  } catch (e) {
    console.error(`${file}: ${e.message}`);
    process.exit(2);
  }
  if (validate(doc)) {
    console.log(`${file}: valid`);
  } else {
    bad++;
    console.log(`${file}: INVALID ${ajv.errorsText(validate.errors)}`);
  }
}
process.exit(bad ? 1 : 0);
