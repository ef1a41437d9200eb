import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';

interface ManifestChunk {
  readonly file: string;
  readonly isEntry?: boolean;
  readonly imports?: readonly string[];
}

export interface InitialJavaScript {
  /** The files `/` loads before anything renders: the entry chunk and its static imports, transitively. */
  readonly files: readonly { file: string; bytes: number; gzip: number }[];
  readonly gzipBytes: number;
}

/**
 * What the first load of `/` costs in JavaScript, from the build's own account: index.html's entry
 * script (Vite's manifest entry for index.html) and every chunk it imports statically, each gzipped
 * at the default level (as the budget is stated). Dynamic imports (route screens, the shell after
 * sign-in, the core) are not part of it.
 */
export function initialJavaScript(dist: string): InitialJavaScript {
  const manifest = JSON.parse(readFileSync(join(dist, '.vite', 'manifest.json'), 'utf8')) as Record<string, ManifestChunk>;
  const html = readFileSync(join(dist, 'index.html'), 'utf8');
  const entries = Object.entries(manifest).filter(([, chunk]) => chunk.isEntry && html.includes(chunk.file));
  if (entries.length !== 1) throw new Error(`expected one entry chunk in index.html, found ${entries.length}`);
  const seen = new Set<string>();
  const visit = (key: string) => {
    if (seen.has(key)) return;
    seen.add(key);
    for (const imported of manifest[key]?.imports ?? []) visit(imported);
  };
  visit(entries[0]![0]);
  const files = [...seen].map((key) => {
    const file = manifest[key]!.file;
    const content = readFileSync(join(dist, file));
    return { file, bytes: content.length, gzip: gzipSync(content).length };
  });
  return { files, gzipBytes: files.reduce((sum, file) => sum + file.gzip, 0) };
}
