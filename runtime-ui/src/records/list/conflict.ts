/**
 * What changed in a record between the version a user edited and the one stored now (a 412
 * `version_conflict`): the fields to show side by side. Bookkeeping fields change on every write
 * and say nothing to the user.
 */
const BOOKKEEPING = new Set(['version', 'updated_at', 'updated_by']);

function same(a: unknown, b: unknown): boolean {
  if (a === b) return true;
  if (a === null || b === null || typeof a !== 'object' || typeof b !== 'object') return (a ?? null) === (b ?? null);
  // An expanded reference and its id are the same value.
  const idOf = (v: object) => (Array.isArray(v) ? undefined : (v as { id?: unknown }).id);
  if (!Array.isArray(a) && !Array.isArray(b) && idOf(a) !== undefined) return idOf(a) === idOf(b);
  return JSON.stringify(a) === JSON.stringify(b);
}

function plain(value: unknown): unknown {
  return value !== null && typeof value === 'object' && !Array.isArray(value) && 'id' in value ? (value as { id: unknown }).id : value;
}

/** Names of the fields (among `fields`) whose value differs between `before` and `after`. */
export function changedFields(before: Readonly<Record<string, unknown>>, after: Readonly<Record<string, unknown>>, fields: readonly string[]): string[] {
  return fields.filter((name) => !BOOKKEEPING.has(name) && name in after && !same(plain(before[name]), plain(after[name])));
}
