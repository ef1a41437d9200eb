/** Operations whose inner logic reads the items of an array, not the record. */
const ARRAY_OPS = new Set(['map', 'filter', 'reduce', 'all', 'some', 'none']);

/**
 * Rewrites every literal `var` path (and missing/missing_some name) of a rule at record level
 * through `map`; paths inside map/filter/reduce/all/some/none logic name the item and are kept.
 * Pure JSON in, JSON out: renames (metadata/references.ts) and the browser-safe rule reads both use it.
 */
export function mapRuleVarPaths(rule: unknown, map: (path: string) => string): unknown {
  const renamePath = (path: unknown): unknown => (typeof path === 'string' ? map(path) : path);
  const visit = (node: unknown): unknown => {
    if (Array.isArray(node)) return node.map(visit);
    if (node === null || typeof node !== 'object') return node;
    const entries = Object.entries(node as Record<string, unknown>);
    if (entries.length !== 1) return node;
    const [op, args] = entries[0]!;
    if (op === 'var') {
      if (Array.isArray(args)) return { var: [renamePath(args[0]), ...args.slice(1).map(visit)] };
      return { var: renamePath(args) };
    }
    if (op === 'missing') {
      return { missing: Array.isArray(args) ? args.map((a) => (typeof a === 'string' ? renamePath(a) : visit(a))) : renamePath(args) };
    }
    if (op === 'missing_some' && Array.isArray(args)) {
      const names = args[1];
      return { missing_some: [args[0], Array.isArray(names) ? names.map(renamePath) : visit(names)] };
    }
    if (ARRAY_OPS.has(op) && Array.isArray(args)) {
      // The inner logic reads the array's items, not the record.
      return { [op]: args.map((arg, index) => (index === 0 || (op === 'reduce' && index === 2) ? visit(arg) : arg)) };
    }
    return { [op]: visit(args) };
  };
  return visit(rule);
}
