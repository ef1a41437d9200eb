import { CrmError, reason, type IssueReason } from '../errors';

/** API names: lower-case identifiers that are safe as PostgreSQL identifiers and JS property names. */
export const API_NAME_PATTERN = /^[a-z][a-z0-9_]{0,62}$/;

/** Columns every record table has; a field may not take their names. */
export const SYSTEM_COLUMNS = Object.freeze([
  'id',
  'created_at',
  'updated_at',
  'created_by',
  'updated_by',
  'owner_id',
  'version',
  'deleted_at',
] as const);

// PostgreSQL's reserved key words (SQL:2016 table of the PostgreSQL manual, "reserved" and
// "reserved (can be function or type)"): quoting makes them work, but every hand-written
// query, report and export tool would trip on them.
const SQL_RESERVED = [
  'all', 'analyse', 'analyze', 'and', 'any', 'array', 'as', 'asc', 'asymmetric', 'authorization', 'binary', 'both',
  'case', 'cast', 'check', 'collate', 'collation', 'column', 'concurrently', 'constraint', 'create', 'cross',
  'current_catalog', 'current_date', 'current_role', 'current_schema', 'current_time', 'current_timestamp',
  'current_user', 'default', 'deferrable', 'desc', 'distinct', 'do', 'else', 'end', 'except', 'false', 'fetch',
  'for', 'foreign', 'freeze', 'from', 'full', 'grant', 'group', 'having', 'ilike', 'in', 'initially', 'inner',
  'intersect', 'into', 'is', 'isnull', 'join', 'lateral', 'leading', 'left', 'like', 'limit', 'localtime',
  'localtimestamp', 'natural', 'not', 'notnull', 'null', 'offset', 'on', 'only', 'or', 'order', 'outer',
  'overlaps', 'placing', 'primary', 'references', 'returning', 'right', 'select', 'session_user', 'similar',
  'some', 'symmetric', 'system_user', 'table', 'tablesample', 'then', 'to', 'trailing', 'true', 'union', 'unique',
  'user', 'using', 'variadic', 'verbose', 'when', 'where', 'window', 'with',
];

// Object names become API paths next to the platform's own; field names become JS record keys.
const OBJECT_RESERVED = new Set([...SQL_RESERVED, 'meta', 'records', 'users', 'system', 'bulk', 'approvals', 'openapi', 'docs']);
const FIELD_RESERVED = new Set([...SQL_RESERVED, 'constructor', 'prototype']);

export type NameKind = 'object' | 'field' | 'layout' | 'view' | 'role' | 'validation_rule';

/**
 * Returns why a name is refused (a catalogue reason), or undefined when it is acceptable.
 */
export function apiNameProblem(name: unknown, kind: NameKind): IssueReason | undefined {
  if (typeof name !== 'string') return reason('must_be_string');
  if (!API_NAME_PATTERN.test(name)) {
    return reason('api_name_pattern');
  }
  // Reserved words matter where names become SQL identifiers, routes or record keys.
  if ((kind === 'object' ? OBJECT_RESERVED : kind === 'field' ? FIELD_RESERVED : undefined)?.has(name)) return reason('reserved_word');
  if (name.endsWith('_')) return reason('must_not_end_with', { text: '_' });
  if (name.includes('__')) return reason('must_not_contain', { text: '__' });
  if ((kind === 'field' || kind === 'object') && (SYSTEM_COLUMNS as readonly string[]).includes(name)) {
    return reason(kind === 'field' ? 'is_system_field' : 'reserved_for_system_fields');
  }
  if (kind === 'object' && name.startsWith('pg_')) return reason('must_not_start_with', { text: 'pg_' });
  return undefined;
}

export function assertApiName(name: unknown, kind: NameKind): asserts name is string {
  const problem = apiNameProblem(name, kind);
  if (problem) throw new CrmError('invalid_api_name', { name: String(name), reason: problem });
}
