/**
 * A rule's outcome as text that keeps what JSON loses (-0, NaN, Infinity, undefined), so results
 * computed in the browser compare exactly with results computed in Node. Like the conformance
 * test's sameOutcome, a throw is a throw whatever its message.
 */
export function outcomeText(run: () => unknown): string {
  let value: unknown;
  try {
    value = run();
  } catch {
    return 'threw';
  }
  return `ok ${valueText(value)}`;
}

export function valueText(value: unknown): string {
  if (typeof value === 'number') return Object.is(value, -0) ? '-0' : String(value);
  if (value === undefined) return 'undefined';
  if (value === null || typeof value !== 'object') return JSON.stringify(value) ?? `(${typeof value})`;
  if (Array.isArray(value)) return `[${value.map(valueText).join(',')}]`;
  // Keys sorted: like the conformance test's sameResult, objects equal whatever their key order.
  const entries = Object.entries(value).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
  return `{${entries.map(([key, item]) => `${JSON.stringify(key)}:${valueText(item)}`).join(',')}}`;
}
