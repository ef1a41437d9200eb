/**
 * The contract between the rule compiler and whatever owns the data (an object's metadata,
 * a test table). The compiler knows nothing about objects or fields: it asks a scope what a
 * `var` path means.
 */

/** A JSON-Logic rule: any JSON value. */
export type JsonLogicRule = unknown;

/**
 * How a value looks to a compiled rule (the JavaScript type it receives), which also fixes its
 * SQL type:
 * - `string`: string | null (SQL text)
 * - `uuid`: canonical lowercase uuid string | null (SQL uuid)
 * - `number`: number | null (SQL numeric, bigint or double precision)
 * - `boolean`: boolean | null
 * - `date`: 'YYYY-MM-DD' | null (SQL date)
 * - `datetime`: 'YYYY-MM-DDTHH:mm:ss.sssZ' | null (SQL timestamptz)
 * - `string_array`: non-empty string[] | null (SQL text[]; an empty array is stored as null)
 * - `json`: any JSON value | null (SQL jsonb)
 */
export type ValueKind = 'string' | 'uuid' | 'number' | 'boolean' | 'date' | 'datetime' | 'string_array' | 'json';

/** Where a variable's value comes from in SQL. */
export type SqlSource =
  /** A column of the filtered table; the name is a checked identifier. */
  | { readonly column: string }
  /** A value known when the query is built (`$user.id`, `$today`): bound as a parameter. */
  | { readonly value: unknown }
  /** A computed field: the variable stands for this rule, substituted before translation. */
  | { readonly rule: JsonLogicRule };

export interface RuleVariable {
  readonly kind: ValueKind;
  /** Absent when the variable exists for in-memory rules but cannot be used in SQL. */
  readonly sql?: SqlSource;
}

export interface RuleScope {
  /** What a `var` path names, or undefined when it names nothing (the rule is then refused). */
  resolve(path: string): RuleVariable | undefined;
}
