/**
 * `pnpm bench <name>`: runs bench/<name>.ts. Benchmarks measure, they do not assert:
 * each prints its figures with a same-run baseline and writes bench/results/<name>.json.
 */
import { readdirSync } from 'node:fs';
import { dirname } from 'node:path';
import { fileURLToPath } from 'node:url';

const here = dirname(fileURLToPath(import.meta.url));
const available = readdirSync(here)
  .filter((f) => f.endsWith('.ts') && f !== 'run.ts')
  .map((f) => f.slice(0, -3));
const names = process.argv.slice(2);
if (names.length === 0 || names.some((n) => !available.includes(n))) {
  console.error(`usage: pnpm bench <${available.join('|')}> [...]`);
  process.exit(2);
}
for (const name of names) {
  const mod = (await import(`./${name}.ts`)) as { run: () => Promise<void> };
  await mod.run();
}
// A benchmark is done once its figures are written; a handle some library leaves open (the UI
// bench's browser and server processes have closed by then) must not keep the command waiting.
process.exit(0);
