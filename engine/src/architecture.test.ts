import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { dirname, join, relative, resolve, sep } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';

/**
 * The engine's folders form layers: a folder may import only folders below it, so no two folders
 * import each other (directly or round a loop) and a change low down never needs one higher up.
 * `metadata/` in particular knows no feature: kinds of documents (fields, layouts, views,
 * validation rules, approval processes, workflows) plug into it through the DocumentKind registry,
 * assembled in `document-kinds.ts` at the top.
 *
 * The layers, bottom first. A folder may import its own layer's folders only where no cycle
 * results (the cycle check below); the order is what new code should follow.
 */
export const LAYERS: readonly (readonly string[])[] = [
  // Pure foundations: the error catalogue, configuration.
  ['errors', 'config'],
  // The shapes of metadata documents as JSON (types, i18n text, JSON limits): what every layer reads.
  ['documents'],
  // The database (with the audit log's entries), who acts, JSON-Logic rules, field types.
  ['db', 'actors', 'rules', 'field-types'],
  // The browser-safe core: compiled object types, rule scopes, the record input check, the client
  // projection's types and the types of what the API answers that the UIs read (approvals,
  // notifications, workflow runs, field history); its entry, core/index.ts, re-exports across
  // layers and sits at the top.
  ['core'],
  // Metadata: snapshot, compile, the change runner, the DocumentKind registry. Knows no feature.
  ['metadata'],
  // Field assignments ({field: rule}) as workflows and approval processes write them: schema, check, evaluation.
  ['assignments'],
  // Services every feature uses: DDL, jobs, outbound delivery.
  ['schema-sync', 'jobs', 'delivery'],
  // Access (roles, departments, predicates), then sign-in, then users.
  ['security'],
  ['auth'],
  ['users'],
  // The record write pipeline, the validation rules it runs, and what hangs on it.
  ['validation-rules'],
  ['records'],
  // What reads records: notifications, shares, the audit log.
  ['notifications', 'shares', 'audit'],
  // Metadata features, each registering its document kind; their services.
  ['fields', 'layouts', 'views', 'elements', 'approvals'],
  ['objects', 'workflows'],
  // What the UIs get: the per-user projection of the metadata, then its generated rules modules.
  ['projection'],
  ['client'],
  // The engine assembled: the list of document kinds, then createEngine.
  ['document-kinds.ts'],
  ['engine.ts'],
  // Engine options read from an environment record (the server's loadConfig calls it).
  ['engine-options.ts'],
  // Clients of the assembled engine: template installation, test helpers; then the package entry.
  ['templates', 'testing'],
  ['index.ts', 'core/index.ts'],
];

/** Folders `metadata/` may import: only the layers below it. */
const BELOW_METADATA = new Set(LAYERS.slice(0, LAYERS.findIndex((layer) => layer.includes('metadata'))).flat());

const SRC = dirname(fileURLToPath(import.meta.url));

function sourceFiles(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const path = join(dir, name);
    if (statSync(path).isDirectory()) return name === 'node_modules' ? [] : sourceFiles(path);
    return name.endsWith('.ts') && !name.endsWith('.test.ts') && !name.endsWith('.d.ts') ? [path] : [];
  });
}

/** Every module a file names in a static `import ... from`, `import '...'` or `export ... from` (types too). */
export function importedSpecifiers(source: string): string[] {
  const withoutComments = source.replace(/\/\*[\s\S]*?\*\//g, '').replace(/^\s*\/\/.*$/gm, '');
  const specifiers: string[] = [];
  const pattern = /(?:^|[;\n}])\s*(?:import|export)\s+(?:type\s+)?(?:[^'";]*?\sfrom\s+)?['"]([^'"]+)['"]/g;
  for (const match of withoutComments.matchAll(pattern)) specifiers.push(match[1]!);
  return specifiers;
}

/** The top folder of a file under src/ (for the files at the top, engine.ts, index.ts..., the file). */
function folderOf(file: string): string {
  const path = relative(SRC, file).split(sep);
  // @crm/engine/core's entry is a package entry like index.ts, not part of core's layer.
  return path.join('/') === 'core/index.ts' ? 'core/index.ts' : path[0]!;
}

/** Folder -> folders it imports (relative imports that leave the folder). */
export function folderGraph(files: readonly string[]): Map<string, Map<string, string[]>> {
  const graph = new Map<string, Map<string, string[]>>();
  for (const file of files) {
    const from = folderOf(file);
    const edges = graph.get(from) ?? new Map<string, string[]>();
    graph.set(from, edges);
    for (const specifier of importedSpecifiers(readFileSync(file, 'utf8'))) {
      if (!specifier.startsWith('.')) continue;
      const target = resolve(dirname(file), specifier);
      if (!target.startsWith(SRC)) continue;
      const to = folderOf(existsSync(target) && statSync(target).isDirectory() ? join(target, 'index.ts') : target);
      if (to === from) continue;
      edges.set(to, [...(edges.get(to) ?? []), relative(SRC, file)]);
    }
  }
  return graph;
}

/** Folders that reach each other (strongly connected components of more than one folder), Tarjan's algorithm. */
function tangledGroups(graph: ReadonlyMap<string, ReadonlyMap<string, unknown>>): string[][] {
  const index = new Map<string, number>();
  const low = new Map<string, number>();
  const stack: string[] = [];
  const groups: string[][] = [];
  const visit = (node: string): void => {
    index.set(node, index.size);
    low.set(node, index.get(node)!);
    stack.push(node);
    for (const next of graph.get(node)?.keys() ?? []) {
      if (!index.has(next)) {
        visit(next);
        low.set(node, Math.min(low.get(node)!, low.get(next)!));
      } else if (stack.includes(next)) low.set(node, Math.min(low.get(node)!, index.get(next)!));
    }
    if (low.get(node) === index.get(node)) {
      const group: string[] = [];
      let member: string;
      do {
        member = stack.pop()!;
        group.push(member);
      } while (member !== node);
      if (group.length > 1) groups.push(group.sort());
    }
  };
  for (const node of [...graph.keys()].sort()) if (!index.has(node)) visit(node);
  return groups;
}

/** A shortest cycle through each folder of each tangled group (each cycle once): what to untangle. */
export function folderCycles(graph: ReadonlyMap<string, ReadonlyMap<string, unknown>>): string[][] {
  const cycles = new Map<string, string[]>();
  for (const group of tangledGroups(graph)) {
    for (const start of group) {
      const cycle = shortestCycle(graph, group, start);
      const key = [...new Set(cycle)].sort().join(',');
      if (!cycles.has(key)) cycles.set(key, cycle);
    }
  }
  return [...cycles.values()];
}

function shortestCycle(graph: ReadonlyMap<string, ReadonlyMap<string, unknown>>, group: readonly string[], start: string): string[] {
  {
    const previous = new Map<string, string>();
    const queue = [start];
    while (queue.length > 0) {
      const node = queue.shift()!;
      for (const next of [...(graph.get(node)?.keys() ?? [])].sort()) {
        if (!group.includes(next) || previous.has(next)) continue;
        previous.set(next, node);
        if (next === start) queue.length = 0;
        else queue.push(next);
      }
    }
    const path = [start];
    for (let node = previous.get(start)!; node !== start; node = previous.get(node)!) path.unshift(node);
    return [start, ...path];
  }
}

const files = sourceFiles(SRC);
const graph = folderGraph(files);

describe('engine folder layering', () => {
  it('reads every kind of static import, type-only imports and re-exports included', () => {
    const source = [
      "import { a } from '../x/a';",
      "import type { B } from '../y/b';",
      'import {',
      '  c,',
      "} from '../z/c';",
      "export { d } from './d';",
      "export type { E } from '../w/e';",
      "export * from '../v';",
      "import '../side-effect';",
      "// import { f } from '../commented';",
      "const s = 'from \\'../not-an-import\\'';",
    ].join('\n');
    expect(importedSpecifiers(source)).toEqual(['../x/a', '../y/b', '../z/c', './d', '../w/e', '../v', '../side-effect']);
  });

  it('finds a cycle round three folders, once', () => {
    const g = new Map([
      ['a', new Map([['b', []]])],
      ['b', new Map([['c', []]])],
      ['c', new Map([['a', []]])],
      ['d', new Map([['a', []]])],
    ]);
    expect(folderCycles(g)).toEqual([['a', 'b', 'c', 'a']]);
  });

  it('has no import cycle between folders', () => {
    const described = folderCycles(graph).map((cycle) =>
      cycle
        .slice(0, -1)
        .map((from, i) => `${from} -> ${cycle[i + 1]} (${graph.get(from)!.get(cycle[i + 1]!)![0]})`)
        .join(', '),
    );
    expect(described).toEqual([]);
  });

  it('lets metadata/ import no feature folder', () => {
    const upward = [...(graph.get('metadata') ?? new Map<string, string[]>())]
      .filter(([to]) => !BELOW_METADATA.has(to))
      .map(([to, from]) => `metadata -> ${to} (${from.join(', ')})`);
    expect(upward).toEqual([]);
  });

  it('places every folder in a layer, and no folder imports one in a higher layer', () => {
    const layerOf = new Map(LAYERS.flatMap((layer, i) => layer.map((folder) => [folder, i] as const)));
    expect([...graph.keys()].filter((folder) => !layerOf.has(folder))).toEqual([]);
    const upward: string[] = [];
    for (const [from, edges] of graph) {
      for (const [to, importers] of edges) {
        if ((layerOf.get(to) ?? 0) > (layerOf.get(from) ?? 0)) upward.push(`${from} -> ${to} (${importers[0]})`);
      }
    }
    expect(upward).toEqual([]);
  });

  it('tells workflow action types apart only in their registry (workflows/actions/)', () => {
    const actionsFolder = join(SRC, 'workflows', 'actions');
    const offending = files
      .filter((file) => file.startsWith(join(SRC, 'workflows')) && !file.startsWith(actionsFolder))
      .flatMap((file) =>
        readFileSync(file, 'utf8')
          .split('\n')
          .map((line, i) => [line, i + 1] as const)
          .filter(([line]) => /switch\s*\(\s*\w*\.type\s*\)|\b(action|next|a)\.type\s*[!=]==\s*'/.test(line) && !/trigger\.type/.test(line))
          .map(([, n]) => `${relative(SRC, file)}:${n}`),
      );
    expect(offending).toEqual([]);
  });
});
