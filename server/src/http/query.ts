import { CrmError, reason, type FieldIssue } from '@crm/engine';

/**
 * Query-string parsing with the same strictness as bodies: an unknown parameter or a malformed
 * value is a 400 naming it, never silently ignored.
 */
export type Query = Readonly<Record<string, unknown>>;

/** Whether the request has no query parameters at all (the common case, checked without allocating a reader). */
export function hasNoQuery(query: unknown): boolean {
  if (query === null || query === undefined) return true;
  for (const _ in query as Record<string, unknown>) return false;
  return true;
}

export class QueryReader {
  readonly #query: Record<string, unknown>;
  readonly #issues: FieldIssue[] = [];
  readonly #read = new Set<string>();

  constructor(query: unknown) {
    this.#query = (query ?? {}) as Record<string, unknown>;
  }

  #raw(name: string): string | undefined {
    this.#read.add(name);
    const value = this.#query[name];
    if (value === undefined) return undefined;
    if (Array.isArray(value)) {
      this.#issues.push({ path: name, code: 'invalid', params: { reason: reason('appears_more_than_once') } });
      return undefined;
    }
    return String(value);
  }

  string(name: string): string | undefined {
    return this.#raw(name);
  }

  /** `a,b`; an empty term (`a,,b`, `a,`, or nothing at all) is a mistake in the URL, refused rather than skipped. */
  list(name: string): string[] | undefined {
    const raw = this.#raw(name);
    if (raw === undefined) return undefined;
    const terms = raw.split(',').map((s) => s.trim());
    if (terms.some((term) => term === '')) {
      this.#issues.push({ path: name, code: 'invalid', params: { reason: reason('list_empty_term') } });
      return undefined;
    }
    return terms;
  }

  integer(name: string): number | undefined {
    const raw = this.#raw(name);
    if (raw === undefined) return undefined;
    if (!/^-?\d{1,9}$/.test(raw)) {
      this.#issues.push({ path: name, code: 'type', params: { expected: 'a whole number' } });
      return undefined;
    }
    return Number(raw);
  }

  boolean(name: string): boolean | undefined {
    const raw = this.#raw(name);
    if (raw === undefined) return undefined;
    if (['true', '1', ''].includes(raw)) return true;
    if (['false', '0'].includes(raw)) return false;
    this.#issues.push({ path: name, code: 'type', params: { expected: 'true or false' } });
    return undefined;
  }

  json(name: string): unknown {
    const raw = this.#raw(name);
    if (raw === undefined) return undefined;
    try {
      return JSON.parse(raw) as unknown;
    } catch {
      this.#issues.push({ path: name, code: 'invalid', params: { reason: reason('not_valid_json') } });
      return undefined;
    }
  }

  /** Throws one validation error for malformed values and for parameters nobody read. */
  done(): void {
    for (const name of Object.keys(this.#query)) {
      if (!this.#read.has(name)) this.#issues.push({ path: name, code: 'invalid', params: { reason: reason('not_route_parameter') } });
    }
    if (this.#issues.length) throw new CrmError('validation_failed', {}, this.#issues);
  }
}
