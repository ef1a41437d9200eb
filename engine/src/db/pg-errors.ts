import { CrmError, isCrmError } from '../errors';

/** PostgreSQL error fields both drivers expose (pg's DatabaseError and PGlite's). */
export interface PgError {
  readonly code: string;
  readonly constraint?: string;
  readonly table?: string;
  readonly column?: string;
  readonly schema?: string;
  readonly detail?: string;
  readonly message: string;
}

export const PG = Object.freeze({
  uniqueViolation: '23505',
  foreignKeyViolation: '23503',
  restrictViolation: '23001',
  notNullViolation: '23502',
  checkViolation: '23514',
  serializationFailure: '40001',
  deadlockDetected: '40P01',
  lockNotAvailable: '55P03',
  undefinedColumn: '42703',
  undefinedTable: '42P01',
  invalidTextRepresentation: '22P02',
  numericValueOutOfRange: '22003',
  stringDataRightTruncation: '22001',
  divisionByZero: '22012',
  datetimeFieldOverflow: '22008',
  queryCanceled: '57014',
  featureNotSupported: '0A000',
});

export function asPgError(error: unknown): PgError | undefined {
  if (error && typeof error === 'object' && typeof (error as { code?: unknown }).code === 'string') {
    const code = (error as { code: string }).code;
    if (/^[0-9A-Z]{5}$/.test(code)) return error as PgError;
  }
  return undefined;
}

/** Whether an error is PostgreSQL's with this code (and, when given, on this constraint). */
export function isPgError(error: unknown, code: string, constraint?: string): boolean {
  const pg = asPgError(error);
  return pg !== undefined && pg.code === code && (constraint === undefined || pg.constraint === constraint);
}

/** What a caller's constraints mean: each returns the catalogue error, or undefined to leave the error as it is. */
export interface PgErrorMapping {
  /** A unique index refused the statement. */
  readonly unique?: (pg: PgError, cause: unknown) => unknown;
  /** A foreign key refused it (a missing target, or a target still referenced: RESTRICT or NO ACTION). */
  readonly reference?: (pg: PgError, cause: unknown) => unknown;
  /** A statement met a schema another process changed (a dropped column or table, a cached plan's result type). */
  readonly staleSchema?: (pg: PgError, cause: unknown) => unknown;
}

const BUSY = new Set<string>([PG.lockNotAvailable, PG.deadlockDetected, PG.serializationFailure]);
const REFERENCE = new Set<string>([PG.foreignKeyViolation, PG.restrictViolation]);
const STALE_SCHEMA = new Set<string>([PG.undefinedColumn, PG.undefinedTable, PG.featureNotSupported]);

/**
 * The one mapping of PostgreSQL's errors to catalogue errors. A lock not granted in time, a
 * deadlock or a serialization failure is always `lock_timeout` (busy: retry); unique and
 * foreign-key violations and a stale schema mean what the caller's mapping says. Catalogue
 * errors and anything unmapped pass through unchanged (an unmapped database error is a 500).
 */
export function crmErrorOf(error: unknown, mapping: PgErrorMapping = {}): unknown {
  if (isCrmError(error)) return error;
  const pg = asPgError(error);
  if (!pg) return error;
  const mapped = BUSY.has(pg.code)
    ? new CrmError('lock_timeout', {}, [], { cause: error })
    : pg.code === PG.uniqueViolation
      ? mapping.unique?.(pg, error)
      : REFERENCE.has(pg.code)
        ? mapping.reference?.(pg, error)
        : STALE_SCHEMA.has(pg.code)
          ? mapping.staleSchema?.(pg, error)
          : undefined;
  return mapped ?? error;
}
