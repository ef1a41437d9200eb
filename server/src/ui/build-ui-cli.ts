/**
 * `pnpm build:ui`: builds the runtime UI and the studio (Vite), side by side; with
 * `--if-changed`, only those whose sources changed since their last build.
 */
import { dirname, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { buildUi, buildUisIfChanged, shippedUis } from './build-if-changed';

const root = resolve(dirname(fileURLToPath(import.meta.url)), '..', '..', '..');
const uis = shippedUis(root);
if (process.argv.includes('--if-changed')) {
  const built = await buildUisIfChanged(root, uis);
  console.log(built.length ? `built ${built.map((ui) => ui.dir.slice(root.length + 1)).join(', ')}` : 'the UIs are up to date');
} else {
  await Promise.all(uis.map((ui) => buildUi(root, ui)));
  console.log(`built ${uis.map((ui) => ui.dir.slice(root.length + 1)).join(', ')}`);
}
