import type { QueryExecutorProvider } from 'kysely';
import { checkRecordInput } from '../core/check-record-input';
import type { CompiledObject } from '../metadata/compiled';
import { newId } from '../metadata/ids';
import type { RuleContext } from '../metadata/rule-scope';
import { nextAutonumber } from './autonumbers';
import { maintainRollups, needsRollupWork } from './rollup-maintenance';
import { insertRow, type Rider, type Row } from './statements';

/**
 * Create, first half: everything that needs no database (core's checkRecordInput, the check a
 * browser runs too, given the new record's id). Returns the row to insert or throws
 * validation_failed with every failing field, or rule_violation with every failing rule.
 */
export function prepareCreate(object: CompiledObject, input: unknown, context: RuleContext): Row {
  const checked = checkRecordInput(object, input, { context, id: newId() });
  if (!checked.ok) throw checked.error;
  return checked.values;
}

/** Whether inserting needs more than the one INSERT statement (and so a transaction). */
export function createNeedsTransaction(object: CompiledObject): boolean {
  return object.autonumbers.length > 0 || needsRollupWork(object);
}

/** Create, second half: numbers, the row (with statements riding along), and the rollups it feeds. */
export async function insertPrepared(db: QueryExecutorProvider, object: CompiledObject, prepared: Row, riders?: readonly Rider[]): Promise<Row> {
  // Copied only when numbers are added (the caller's row stays as checked).
  const row = object.autonumbers.length > 0 ? { ...prepared } : prepared;
  for (const autonumber of object.autonumbers) row[autonumber.field.name] = await nextAutonumber(db, autonumber.field.id!, autonumber.format);
  const stored = await insertRow(db, object, row, riders);
  await maintainRollups(db, object, [stored]);
  return stored;
}
