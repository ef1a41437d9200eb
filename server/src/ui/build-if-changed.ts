import { spawn } from 'node:child_process';
import { createHash } from 'node:crypto';
import { existsSync, readdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { join, relative, resolve } from 'node:path';

/**
 * The UIs the server serves are Vite builds. A start rebuilds one only when what it is built
 * from changed since its last build (its own sources, the engine code it may import, the
 * lockfile), so a restart does not pay seconds of bundling for nothing.
 */
export interface UiPackage {
  /** The package folder, e.g. `<root>/runtime-ui`. */
  readonly dir: string;
}

const STAMP = '.source-hash';
const SKIPPED = new Set(['node_modules', 'dist', '.vite', '.turbo']);

/** A digest of every file the build reads: the package itself, the engine and the lockfile. */
export function sourceDigest(root: string, ui: UiPackage): string {
  const hash = createHash('sha256');
  const visit = (path: string): void => {
    const stat = statSync(path);
    if (stat.isDirectory()) {
      for (const entry of readdirSync(path).sort()) if (!SKIPPED.has(entry)) visit(join(path, entry));
      return;
    }
    hash.update(relative(root, path)).update('\0').update(readFileSync(path)).update('\0');
  };
  for (const input of [ui.dir, join(root, 'engine', 'src'), join(root, 'pnpm-lock.yaml')]) if (existsSync(input)) visit(input);
  return hash.digest('hex');
}

/** Whether the UI's last build was made from sources with this digest. */
function isBuiltFrom(ui: UiPackage, digest: string): boolean {
  const stamp = join(ui.dir, 'dist', STAMP);
  return existsSync(join(ui.dir, 'dist', 'index.html')) && existsSync(stamp) && readFileSync(stamp, 'utf8') === digest;
}

/** Runs the package's Vite build (warnings and errors only) and stamps the result. */
export async function buildUi(root: string, ui: UiPackage, digest = sourceDigest(root, ui)): Promise<void> {
  const vite = join(ui.dir, 'node_modules', 'vite', 'bin', 'vite.js');
  // A production bundle even when started from tests: Vite keeps an inherited NODE_ENV (vitest sets
  // `test`), which builds React's development code and makes rc-component ids all "test-id".
  const child = spawn(process.execPath, [vite, 'build', '--logLevel', 'warn'], { cwd: ui.dir, stdio: ['ignore', 'inherit', 'inherit'], env: { ...process.env, NODE_ENV: 'production' } });
  const code = await new Promise<number | null>((done, fail) => {
    child.on('error', fail);
    child.on('exit', done);
  });
  if (code !== 0) throw new Error(`building ${relative(root, ui.dir)} failed (exit ${code})`);
  writeFileSync(join(ui.dir, 'dist', STAMP), digest);
}

/** Builds, side by side, the UIs whose sources changed; returns the ones it built. */
export async function buildUisIfChanged(root: string, uis: readonly UiPackage[]): Promise<UiPackage[]> {
  const stale = uis.map((ui) => ({ ui, digest: sourceDigest(root, ui) })).filter(({ ui, digest }) => !isBuiltFrom(ui, digest));
  await Promise.all(stale.map(({ ui, digest }) => buildUi(root, ui, digest)));
  return stale.map(({ ui }) => ui);
}

export function shippedUis(root: string): UiPackage[] {
  return [{ dir: resolve(root, 'runtime-ui') }, { dir: resolve(root, 'studio') }];
}
