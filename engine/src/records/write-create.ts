import type { QueryExecutorProvider } from 'kysely';
import { reason, validationError, type FieldIssue } from '../errors';
import type { CompiledObject } from '../metadata/compiled';
import { newId } from '../metadata/ids';
import type { RuleContext } from '../metadata/rule-scope';
import { nextAutonumber } from './autonumbers';
import { dependentOptionIssues, isRequired, prepareInput } from './input';
import { ruleData } from './representation';
import { maintainRollups, needsRollupWork } from './rollup-maintenance';
import { insertRow, type Rider, type Row } from './statements';
import { checkValidationRules } from '../validation-rules/check-validation-rules';

/**
 * Create, first half: everything that needs no database. Returns the row to insert or throws
 * validation_failed with every failing field.
 */
export function prepareCreate(object: CompiledObject, input: unknown, context: RuleContext): Row {
  const { values, issues } = prepareInput(object, input, undefined);
  const row: Row = { ...values };
  applyDefaults(object, row, context, issues);
  for (const field of object.userFields) {
    if (isRequired(field) && field.column && (row[field.column] === null || row[field.column] === undefined)) {
      if (!issues.some((i) => i.path === field.name)) issues.push({ path: field.name, code: 'required' });
    }
  }
  issues.push(...dependentOptionIssues(object, row, new Set(Object.keys(row))));
  if (issues.length) throw validationError(issues);
  const actorId = context.user.id;
  row.id = newId();
  row.created_by = actorId;
  row.updated_by = actorId;
  row.owner_id ??= actorId;
  // A new parent has no children yet: its counts and sums start at zero, not unknown.
  for (const field of object.userFields) {
    if (field.definition.type === 'rollup' && (field.definition.aggregate === 'count' || field.definition.aggregate === 'sum')) row[field.name] = 0;
  }
  // Last: the rules see the record as it will be stored (defaults, owner), with no `$old`.
  checkValidationRules(object, row, undefined, context);
  return row;
}

/** Whether inserting needs more than the one INSERT statement (and so a transaction). */
export function createNeedsTransaction(object: CompiledObject): boolean {
  return object.autonumbers.length > 0 || needsRollupWork(object);
}

/** Create, second half: numbers, the row (with statements riding along), and the rollups it feeds. */
export async function insertPrepared(db: QueryExecutorProvider, object: CompiledObject, prepared: Row, riders?: readonly Rider[]): Promise<Row> {
  const row = { ...prepared };
  for (const autonumber of object.autonumbers) row[autonumber.field.name] = await nextAutonumber(db, autonumber.field.id!, autonumber.format);
  const stored = await insertRow(db, object, row, riders);
  await maintainRollups(db, object, [stored]);
  return stored;
}

/** Defaults fill fields the caller left out; a default that does not fit the field is reported like bad input. */
function applyDefaults(object: CompiledObject, row: Row, context: RuleContext, issues: FieldIssue[]): void {
  if (object.defaults.length === 0) return;
  let data: Record<string, unknown> | undefined;
  for (const { field, evaluate } of object.defaults) {
    if (!field.column || field.column in row) continue;
    data ??= ruleData(object, row, context);
    const value = evaluate(data);
    if (value === null || value === undefined) continue;
    const normalized = field.type.normalize(value, field.definition, { previous: undefined });
    if (normalized.ok) row[field.column] = normalized.value;
    else issues.push({ path: field.name, code: 'invalid', params: { reason: reason('default_not_expected', { value: JSON.stringify(value), expected: field.type.expected }) } });
  }
}
