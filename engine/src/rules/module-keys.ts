import type { RuleMode } from './js-generator';

/**
 * How a standalone module (standalone-module.ts) names what it holds, and how the browser finds
 * it again (core/module-compilers.ts): a rule by its mode and JSON text, a JSON Schema by its JSON
 * text. Both sides build the rule or schema from the same metadata, so the texts agree.
 */
export function ruleKey(rule: unknown, mode: RuleMode): string {
  return `${mode}:${ruleText(rule)}`;
}

export function schemaKey(schema: unknown): string {
  return JSON.stringify(schema);
}

/**
 * JSON.stringify's text, except that numbers JSON cannot tell apart stay apart: a rule may hold
 * -0 (`{"/": [1, -0]}` is -Infinity), which JSON.stringify writes as 0. Not JSON values (NaN,
 * undefined), never in a valid rule, get texts of their own so they find nothing.
 */
function ruleText(value: unknown): string {
  if (typeof value === 'number') {
    if (Object.is(value, -0)) return '-0';
    return Number.isFinite(value) ? String(value) : `(${String(value)})`;
  }
  if (value === undefined) return '(undefined)';
  if (value === null || typeof value !== 'object') return JSON.stringify(value) ?? `(${typeof value})`;
  if (Array.isArray(value)) return `[${value.map(ruleText).join(',')}]`;
  const entries = Object.entries(value as Record<string, unknown>).map(([key, item]) => `${JSON.stringify(key)}:${ruleText(item)}`);
  return `{${entries.join(',')}}`;
}
