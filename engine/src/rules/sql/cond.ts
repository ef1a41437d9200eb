import { sql, type RawBuilder, type SqlBool } from 'kysely';

/**
 * A two-valued SQL condition: TRUE or FALSE for every row, never NULL. Every translation step
 * keeps that invariant, so NOT is always exact (NOT of an unknown would be unknown, and
 * `{"!": ...}` of a null-sensitive comparison would lose rows json-logic-js keeps).
 * Constants are folded as the condition is built.
 */
export type Cond = { readonly kind: 'const'; readonly value: boolean } | { readonly kind: 'sql'; readonly sql: RawBuilder<SqlBool> };

export const TRUE: Cond = Object.freeze({ kind: 'const', value: true });
export const FALSE: Cond = Object.freeze({ kind: 'const', value: false });

export function constant(value: boolean): Cond {
  return value ? TRUE : FALSE;
}

/** Wraps SQL the caller guarantees is never NULL. */
export function raw(expression: RawBuilder<SqlBool>): Cond {
  return { kind: 'sql', sql: expression };
}

export function and(...parts: Cond[]): Cond {
  const kept: RawBuilder<SqlBool>[] = [];
  for (const part of parts) {
    if (part.kind === 'const') {
      if (!part.value) return FALSE;
    } else kept.push(part.sql);
  }
  if (kept.length === 0) return TRUE;
  if (kept.length === 1) return raw(kept[0]!);
  return raw(sql<SqlBool>`(${sql.join(kept, sql` and `)})`);
}

export function or(...parts: Cond[]): Cond {
  const kept: RawBuilder<SqlBool>[] = [];
  for (const part of parts) {
    if (part.kind === 'const') {
      if (part.value) return TRUE;
    } else kept.push(part.sql);
  }
  if (kept.length === 0) return FALSE;
  if (kept.length === 1) return raw(kept[0]!);
  return raw(sql<SqlBool>`(${sql.join(kept, sql` or `)})`);
}

export function not(part: Cond): Cond {
  return part.kind === 'const' ? constant(!part.value) : raw(sql<SqlBool>`(not ${part.sql})`);
}

export function toSql(part: Cond): RawBuilder<SqlBool> {
  return part.kind === 'const' ? (part.value ? sql<SqlBool>`true` : sql<SqlBool>`false`) : part.sql;
}
