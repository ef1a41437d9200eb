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
