/** A constant: JSON without an operation (an array of constants is one, as in a multi-select). */
export function isLiteral(rule: unknown): boolean {
  if (rule === null || typeof rule !== 'object') return true;
  if (Array.isArray(rule)) return rule.every(isLiteral);
  return false;
}
