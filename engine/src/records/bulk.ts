import { sql, type Transaction } from 'kysely';
import { CrmError, isCrmError, reason, validationError, type FieldIssue } from '../errors';
import type { CompiledObject } from '../metadata/compiled';
import { prepareInput } from './input';
import type { RecordData } from './representation';
import type { Row } from './statements';
import { translateWriteError } from './write-errors';
import { isUuid } from '../metadata/ids';

export const MAX_BULK_ROWS = 1000;

export type BulkOperation = 'create' | 'update' | 'upsert';

export interface BulkRequest {
  readonly operation: BulkOperation;
  /** For upsert: a unique field that identifies the record. */
  readonly upsert_field?: string;
  /** Write every row or none. */
  readonly all_or_nothing?: boolean;
  /** For update: each row carries `id` and optionally `version`. */
  readonly records: readonly unknown[];
}

export interface BulkRowResult {
  readonly index: number;
  readonly status: 'created' | 'updated' | 'failed' | 'rolled_back';
  readonly id?: string;
  readonly record?: RecordData;
  readonly error?: CrmError;
}

export interface BulkResult {
  /** False when all_or_nothing rolled everything back. */
  readonly committed: boolean;
  readonly results: BulkRowResult[];
  readonly summary: { readonly created: number; readonly updated: number; readonly failed: number };
}


/** Checks the request frame; rows are checked one by one as they are written. */
export function checkBulkRequest(object: CompiledObject, request: unknown, maxRows = MAX_BULK_ROWS): BulkRequest {
  const issues: FieldIssue[] = [];
  if (request === null || typeof request !== 'object' || Array.isArray(request)) throw validationError([{ path: '', code: 'type', params: { expected: 'a JSON object' } }]);
  const r = request as Record<string, unknown>;
  for (const key of Object.keys(r)) if (!['operation', 'upsert_field', 'all_or_nothing', 'records'].includes(key)) issues.push({ path: key, code: 'unknown_field' });
  if (!['create', 'update', 'upsert'].includes(r.operation as string)) issues.push({ path: 'operation', code: 'invalid', params: { reason: reason('must_be_choice', { choices: ['create', 'update', 'upsert'] }) } });
  if (r.all_or_nothing !== undefined && typeof r.all_or_nothing !== 'boolean') issues.push({ path: 'all_or_nothing', code: 'type', params: { expected: 'true or false' } });
  if (!Array.isArray(r.records) || r.records.length === 0) issues.push({ path: 'records', code: 'invalid', params: { reason: reason('must_be_non_empty_array') } });
  else if (r.records.length > maxRows) issues.push({ path: 'records', code: 'invalid', params: { reason: reason('too_many_records', { max: maxRows }) } });
  if (r.operation === 'upsert') {
    const field = typeof r.upsert_field === 'string' ? object.fieldsByName.get(r.upsert_field) : undefined;
    if (!field || field.system || field.definition.unique !== true) {
      issues.push({ path: 'upsert_field', code: 'invalid', params: { reason: reason('not_unique_field_of', { object: object.name }) } });
    }
  } else if (r.upsert_field !== undefined) {
    issues.push({ path: 'upsert_field', code: 'invalid', params: { reason: reason('only_for_operation', { operation: 'upsert' }) } });
  }
  if (issues.length) throw validationError(issues);
  return r as unknown as BulkRequest;
}

function splitIdentity(input: unknown): { id: string | undefined; version: number | undefined; values: unknown } {
  if (input === null || typeof input !== 'object' || Array.isArray(input)) return { id: undefined, version: undefined, values: input };
  const { id, version, ...values } = input as Record<string, unknown>;
  if (id !== undefined && (typeof id !== 'string' || !isUuid(id))) throw validationError([{ path: 'id', code: 'type', params: { expected: 'a record id' } }]);
  if (version !== undefined && !Number.isInteger(version)) throw validationError([{ path: 'version', code: 'type', params: { expected: 'a whole number' } }]);
  return { id: id as string | undefined, version: version as number | undefined, values };
}

/**
 * A row refused before the bulk write (an import cell naming a record nobody can find): it is
 * reported like a row the pipeline refused, and counts as a failure for all_or_nothing.
 */
export class RefusedRow {
  constructor(readonly error: CrmError) {}
}

/** How rows are written: the record service supplies these with the actor's access checks. */
export interface BulkWriters {
  create(trx: Transaction<unknown>, input: unknown): Promise<Row>;
  update(trx: Transaction<unknown>, id: string, input: unknown, expectedVersion: number | undefined): Promise<Row>;
  /** The id of the live record holding a unique value, if the actor can see it. */
  findByUnique(trx: Transaction<unknown>, field: string, value: unknown): Promise<string | undefined>;
}

async function writeRow(
  trx: Transaction<unknown>,
  object: CompiledObject,
  request: BulkRequest,
  input: unknown,
  writers: BulkWriters,
): Promise<{ status: 'created' | 'updated'; row: Row }> {
  if (input instanceof RefusedRow) throw input.error;
  if (request.operation === 'create') return { status: 'created', row: await writers.create(trx, input) };
  if (request.operation === 'update') {
    const { id, version, values } = splitIdentity(input);
    if (!id) throw validationError([{ path: 'id', code: 'required' }]);
    return { status: 'updated', row: await writers.update(trx, id, values, version) };
  }
  // upsert: find the live record holding the unique value, update it, or create one.
  const field = request.upsert_field!;
  const { values } = splitIdentity(input);
  const key = (values as Record<string, unknown> | null)?.[field];
  if (key === undefined || key === null) throw validationError([{ path: field, code: 'required' }]);
  const normalized = prepareInput(object, { [field]: key }, undefined);
  if (normalized.issues.length) throw validationError(normalized.issues);
  const id = await writers.findByUnique(trx, field, normalized.values[field]);
  if (id) return { status: 'updated', row: await writers.update(trx, id, values, undefined) };
  return { status: 'created', row: await writers.create(trx, values) };
}

/**
 * Up to 1,000 rows in one transaction, each behind a savepoint: a failing row is rolled back to
 * its savepoint and reported while the others go on; with all_or_nothing, any failure rolls the
 * whole request back. Every row goes through the same pipeline as a single write.
 */
export async function runBulk(
  trx: Transaction<unknown>,
  object: CompiledObject,
  request: BulkRequest,
  writers: BulkWriters,
  output: (row: Row) => RecordData,
): Promise<BulkResult> {
  const results: BulkRowResult[] = [];
  for (const [index, input] of request.records.entries()) {
    await sql`savepoint bulk_row`.execute(trx);
    try {
      let outcome: { status: 'created' | 'updated'; row: Row };
      try {
        outcome = await writeRow(trx, object, request, input, writers);
      } catch (error) {
        // Two upserts of a new key can race to insert it; the loser retries and finds the winner's row.
        if (request.operation !== 'upsert' || !isCrmError(translateWriteError(error, object), 'unique_violation')) throw error;
        await sql`rollback to savepoint bulk_row`.execute(trx);
        outcome = await writeRow(trx, object, request, input, writers);
      }
      await sql`release savepoint bulk_row`.execute(trx);
      const record = output(outcome.row);
      results.push({ index, status: outcome.status, id: record.id as string, record });
    } catch (error) {
      const translated = translateWriteError(error, object);
      if (!isCrmError(translated)) throw error;
      await sql`rollback to savepoint bulk_row`.execute(trx);
      results.push({ index, status: 'failed', error: translated });
    }
  }
  const failed = results.filter((r) => r.status === 'failed').length;
  const committed = !(request.all_or_nothing && failed > 0);
  const final = committed ? results : results.map((r): BulkRowResult => (r.status === 'failed' ? r : { index: r.index, status: 'rolled_back' }));
  return {
    committed,
    results: final,
    summary: {
      created: committed ? results.filter((r) => r.status === 'created').length : 0,
      updated: committed ? results.filter((r) => r.status === 'updated').length : 0,
      failed,
    },
  };
}

/** Thrown inside the transaction to undo an all-or-nothing request that had a failing row. */
export class BulkRollback extends Error {
  constructor(readonly result: BulkResult) {
    super('bulk request rolled back');
  }
}
