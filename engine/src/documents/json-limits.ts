import type { FieldIssue } from '../errors';
import { pointerToken } from './json-pointer';

/**
 * What untrusted JSON may look like before anything recursive touches it (AJV, structuredClone,
 * JSON.stringify, the rule compilers, PostgreSQL's jsonb): how deep, how many values, and no
 * U+0000, which PostgreSQL refuses in text and jsonb alike. The walk below is a loop over an
 * explicit stack, so a value nested 100,000 levels deep costs a 400, not the call stack.
 */
export interface JsonLimits {
  /** Deepest allowed nesting; the value itself is level 1, its members level 2 and so on. */
  readonly maxDepth: number;
  /** Most JSON values (objects, arrays and scalars alike) it may contain. */
  readonly maxNodes: number;
}

/** A JSON-Logic rule: validation rules, formulas, defaults, workflow and approval conditions, filters. */
export const RULE_LIMITS: JsonLimits = Object.freeze({ maxDepth: 32, maxNodes: 1000 });

/** A `json` field's value (its stored size is limited separately, to 256 KiB of JSON text). */
export const JSON_VALUE_LIMITS: JsonLimits = Object.freeze({ maxDepth: 64, maxNodes: 100_000 });

/** A metadata document or template: room for its own structure around rules and `json` defaults. */
export const DOCUMENT_LIMITS: JsonLimits = Object.freeze({ maxDepth: 100, maxNodes: 100_000 });

/**
 * An HTTP request's parsed body, query or headers as a whole: room for bulk rows around `json`
 * values; the body's size is limited by the server's body limit in bytes instead of a count.
 */
export const REQUEST_LIMITS: JsonLimits = Object.freeze({ maxDepth: 128, maxNodes: Number.POSITIVE_INFINITY });

export function containsNul(text: string): boolean {
  return text.includes('\u0000');
}

export interface JsonInspection {
  /** Path of the value inside its input, prefixed to every reported path. */
  readonly path?: string;
  /** Also look for U+0000 in strings and keys (default true). */
  readonly nul?: boolean;
}

/** A field issue naming what is wrong and where. */
export type JsonInputIssue = FieldIssue & { readonly code: 'too_deep' | 'too_large' | 'nul_character' };

/** A container being walked; paths are rebuilt from the parent chain only when something is wrong. */
interface Frame {
  readonly value: object;
  readonly depth: number;
  readonly parent: Frame | undefined;
  readonly key: string;
}

function pathOf(base: string, frame: Frame | undefined, key?: string): string {
  const keys = key === undefined ? [] : [key];
  for (let at = frame; at?.parent !== undefined; at = at.parent) keys.push(at.key);
  return [...(base ? [base] : []), ...keys.reverse().map(pointerToken)].join('/');
}

/**
 * The first problem of an untrusted JSON value - nested too deep, too many values, a U+0000 in a
 * string or key - as a field issue, or undefined when there is none.
 */
export function jsonInputIssue(value: unknown, limits: JsonLimits, options: JsonInspection = {}): JsonInputIssue | undefined {
  const base = options.path ?? '';
  const nul = options.nul ?? true;
  let nodes = 0;
  const stack: Frame[] = [];

  // Checks one value met at `depth` under `parent`; containers are queued for their members.
  const visit = (item: unknown, depth: number, parent: Frame | undefined, key: string | undefined): JsonInputIssue | undefined => {
    if (++nodes > limits.maxNodes) return { path: base, code: 'too_large', params: { limit: limits.maxNodes } };
    if (depth > limits.maxDepth) return { path: pathOf(base, parent, key), code: 'too_deep', params: { limit: limits.maxDepth } };
    if (typeof item === 'string') {
      if (nul && containsNul(item)) return { path: pathOf(base, parent, key), code: 'nul_character' };
    } else if (item !== null && typeof item === 'object') {
      stack.push({ value: item, depth, parent, key: key ?? '' });
    }
    return undefined;
  };

  let issue = visit(value, 1, undefined, undefined);
  while (!issue && stack.length > 0) {
    const frame = stack.pop()!;
    if (Array.isArray(frame.value)) {
      for (let i = 0; i < frame.value.length && !issue; i++) issue = visit(frame.value[i], frame.depth + 1, frame, String(i));
    } else {
      for (const key of Object.keys(frame.value)) {
        if (nul && containsNul(key)) return { path: pathOf(base, frame, key), code: 'nul_character' };
        issue = visit((frame.value as Record<string, unknown>)[key], frame.depth + 1, frame, key);
        if (issue) break;
      }
    }
  }
  return issue;
}
