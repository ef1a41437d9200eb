import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { buildUisIfChanged, sourceDigest } from './build-if-changed';

const roots: string[] = [];
afterEach(() => roots.splice(0).forEach((root) => rmSync(root, { recursive: true, force: true })));

/** A repository root with one UI package that was built from its current sources (no Vite installed). */
function builtUi(): { root: string; ui: { dir: string } } {
  const root = mkdtempSync(join(tmpdir(), 'crm-ui-build-'));
  roots.push(root);
  const ui = { dir: join(root, 'runtime-ui') };
  mkdirSync(join(ui.dir, 'src'), { recursive: true });
  mkdirSync(join(root, 'engine', 'src'), { recursive: true });
  writeFileSync(join(ui.dir, 'src', 'main.tsx'), 'export {};\n');
  writeFileSync(join(root, 'engine', 'src', 'index.ts'), 'export {};\n');
  mkdirSync(join(ui.dir, 'dist'));
  writeFileSync(join(ui.dir, 'dist', 'index.html'), '<!doctype html>');
  writeFileSync(join(ui.dir, 'dist', '.source-hash'), sourceDigest(root, ui));
  return { root, ui };
}

describe('building the UIs only when their sources changed', () => {
  it('skips a UI built from its current sources, ignoring its build output', async () => {
    const { root, ui } = builtUi();
    writeFileSync(join(ui.dir, 'dist', 'extra.js'), 'changed output');
    expect(await buildUisIfChanged(root, [ui])).toEqual([]);
  });

  it('rebuilds when its own sources or the engine changed, and a failed build is an error naming the UI', async () => {
    for (const changed of ['runtime-ui/src/main.tsx', 'engine/src/index.ts']) {
      const { root, ui } = builtUi();
      writeFileSync(join(root, changed), 'export const changed = 1;\n');
      // No Vite in this scratch package: the build it starts fails, which proves it was started.
      await expect(buildUisIfChanged(root, [ui])).rejects.toThrow(/building runtime-ui failed/);
    }
  });
});
