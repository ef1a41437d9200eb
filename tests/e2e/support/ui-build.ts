import { mkdir, rm } from 'node:fs/promises';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { buildUisIfChanged } from '../../../server/src/ui/build-if-changed';

export const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '..', '..', '..');
export const RUNTIME_UI_DIR = join(ROOT, 'runtime-ui');
export const RUNTIME_UI_DIST = join(RUNTIME_UI_DIR, 'dist');

/**
 * The browser tests run against the built runtime UI (the server serves runtime-ui/dist). `pnpm
 * test` builds it first (`pnpm build:ui --if-changed`); a file run on its own (`npx vitest run
 * tests/e2e/x.test.ts`) builds it here when its sources changed. Several test files start at once,
 * so a lock folder makes one build while the others wait, then finds it current.
 */
export async function ensureRuntimeUiBuilt(): Promise<void> {
  // Inside node_modules: the build's source digest skips it.
  const lock = join(RUNTIME_UI_DIR, 'node_modules', '.e2e-build-lock');
  const deadline = Date.now() + 180_000;
  for (;;) {
    try {
      await mkdir(lock);
      break;
    } catch {
      if (Date.now() > deadline) throw new Error(`${lock} held for 3 minutes: remove it if no build is running`);
      await new Promise((done) => setTimeout(done, 250));
    }
  }
  try {
    await buildUisIfChanged(ROOT, [{ dir: RUNTIME_UI_DIR }]);
  } finally {
    await rm(lock, { recursive: true, force: true });
  }
}
