// Converts YAML to JSON for ajv: node yaml2json.mjs OUTDIR FILE... writes
// OUTDIR/NAME.json for each FILE named NAME.yaml. The YAML 1.2 core schema,
// as editors read it (yaml-language-server uses this same package).
// Duplicate keys are the YAML reader's finding (DOSM_D_DUPLICATE_KEY) and
// JSON cannot hold them: the last one wins, so the schema sees the rest.
import { readFileSync, writeFileSync } from 'node:fs';
import { basename, join } from 'node:path';
import YAML from 'yaml';

const [outdir, ...files] = process.argv.slice(2);
for (const file of files) {
  const data = YAML.parse(readFileSync(file, 'utf8'), { uniqueKeys: false });
  writeFileSync(join(outdir, basename(file, '.yaml') + '.json'),
                JSON.stringify(data));
}
