// The schema must know exactly the keys and words the library knows:
//   node keys.mjs states/dosm.schema.json lib/loader.c lib/checker.c
// Reads every file-scope word table of those sources (top_keys, state_keys,
// ..., attention_names, guard_words, ...) and compares it with the schema
// place it maps to;
// a table that maps nowhere is an error too, so a new one cannot be missed.
// Also checks that every key of the schema has a description.
import { readFileSync } from 'node:fs';

const [schemaPath, ...sourcePaths] = process.argv.slice(2);
const sources = sourcePaths.map((path) => [path, readFileSync(path, 'utf8')]);
const schema = JSON.parse(readFileSync(schemaPath, 'utf8'));

// Table -> the schema object whose `properties` are its keys (*_keys), or
// the `enum` holding its words.
const keys = {
  top_keys: '',
  state_keys: '/definitions/state',
  timeout_keys: '/definitions/timeout',
  event_keys: '/definitions/event',
  attribute_keys: '/definitions/attribute',
  payload_keys: '/definitions/payload_field',
  transition_keys: '/definitions/transition',
  rollup_keys: '/definitions/rollup',
  vocabulary_keys: '/definitions/vocabulary',
};
const words = {
  attention_names: '/definitions/state/properties/attention',
  type_names: '/definitions/field_type',
  fhir_task_status: '/definitions/fhir_status',
  guard_words: '/definitions/guard_name/allOf/1/not',
};

const at = (pointer) => pointer.split('/').slice(1)
  .reduce((node, part) => node?.[part], schema);
const tables = new Map(); // table -> [its words, the source that has it]
for (const [path, text] of sources)
  for (const m of text.matchAll(/^static const char \*const (\w+)\[\] = \{([^}]*)\}/gm))
    tables.set(m[1], [[...m[2].matchAll(/"([^"]*)"/g)].map((s) => s[1]), path]);

let failures = 0;
const fail = (text) => { console.error(text); failures++; };
const same = (a, b) => JSON.stringify(a) === JSON.stringify(b);
for (const [table, [list, path]] of tables) {
  if (table in keys) {
    const object = at(keys[table]);
    const props = Object.keys(object?.properties ?? {});
    if (!same([...props].sort(), [...list].sort()))
      fail(`${table} {${list}} but #${keys[table]} has properties {${props}}`);
    if (object?.additionalProperties !== false)
      fail(`#${keys[table]} must have additionalProperties: false, as the loader refuses unknown keys`);
  } else if (table in words) {
    const values = at(words[table])?.enum;
    if (!same(values, list))
      fail(`${table} {${list}} but #${words[table]} has enum {${values}}`);
  } else {
    fail(`${path}: table ${table} maps to no place in the schema (add it to ${process.argv[1]})`);
  }
}
for (const table of [...Object.keys(keys), ...Object.keys(words)])
  if (!tables.has(table)) fail(`no table ${table} in ${sourcePaths.join(', ')}`);
// Editors show descriptions on hover: every key has one.
const described = (node, path) => {
  if (Array.isArray(node)) return node.forEach((v, i) => described(v, `${path}/${i}`));
  if (typeof node !== 'object' || node === null) return;
  for (const [key, value] of Object.entries(node.properties ?? {}))
    if (typeof value.description !== 'string')
      fail(`#${path}/properties/${key} has no description`);
  for (const [key, value] of Object.entries(node)) described(value, `${path}/${key}`);
};
described(schema, '');
if (failures) process.exit(1);
console.log(`${tables.size} word tables match the schema; every key has a description`);
