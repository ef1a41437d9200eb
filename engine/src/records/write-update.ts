import { sql, type QueryExecutorProvider, type RawBuilder, type SqlBool } from 'kysely';
import { CrmError, validationError } from '../errors';
import type { CompiledObject } from '../metadata/compiled';
import { recordTable } from '../schema-sync/ddl';
import { clearedRequiredIssues, prepareInput } from './input';
import { maintainRollups, needsRollupWork } from './rollup-maintenance';
import { executePrepared, Slot } from './prepared';
import { refuseIfAwaitingApproval, type LockRefusal } from './approval-lock';
import { columnList, parameterOf, typedSlot, typedValue, updateRow, withSearchKeys, type Row } from './statements';
import type { RuleContext } from '../metadata/rule-scope';
import { checkRecordInput, checkUpdatedFields } from '../core/check-record-input';

/**
 * Updates come in two forms. The common one is a single UPDATE that checks the version and
 * skips unchanged rows in its WHERE clause. When the update needs the stored row first - a
 * rollup to maintain, a dependent picklist, a retired option kept, validation rules to run - the
 * row is locked and read in a transaction.
 */

/** Fields whose change depends on other fields' stored values (dependent picklists). */
function touchesDependentOptions(object: CompiledObject, names: readonly string[]): boolean {
  return object.userFields.some((f) => {
    const controlling = (f.definition as { controlling_field?: string }).controlling_field;
    return controlling !== undefined && (names.includes(f.name) || names.includes(controlling));
  });
}

export type UpdatePlan =
  /** One statement is enough: the input is fully checked already. */
  | { readonly kind: 'single'; readonly values: Row }
  /** The stored row is needed first. */
  | { readonly kind: 'locked' };

/** Which rows the actor may see and change (undefined: no restriction). */
export interface RowGuard {
  readonly read?: RawBuilder<SqlBool>;
  readonly edit?: RawBuilder<SqlBool>;
  /** Refuse a record awaiting approval (see approval-lock.ts), naming it so; only the locked form checks it. */
  readonly refuseAwaitingApproval?: LockRefusal;
}

export function planUpdate(object: CompiledObject, input: unknown): UpdatePlan {
  const { values, issues } = prepareInput(object, input, undefined);
  // A retired option may stay on a record that already holds it: only the stored row can tell.
  if (issues.some((i) => i.code === 'option')) return { kind: 'locked' };
  issues.push(...clearedRequiredIssues(object, values));
  if (issues.length) throw validationError(issues);
  const names = Object.keys(values);
  // Field history needs the old values; a new owner is checked against the old and audited.
  if (object.definition.track_history || names.includes('owner_id')) return { kind: 'locked' };
  if (needsRollupWork(object, new Set(names)) || touchesDependentOptions(object, names)) return { kind: 'locked' };
  // Validation rules judge the whole record, old and new: only the locked form reads it.
  if (object.activeValidationRules.length > 0) return { kind: 'locked' };
  // Workflows see the record before and after, in the update's transaction.
  if (object.activeWorkflows.events.has('updated')) return { kind: 'locked' };
  return { kind: 'single', values };
}

export async function updateSingle(
  db: QueryExecutorProvider,
  object: CompiledObject,
  id: string,
  values: Row,
  actorId: string,
  expectedVersion: number | undefined,
  guard: RowGuard = {},
): Promise<Row> {
  const keyed = withSearchKeys(object, values);
  const columns = Object.keys(keyed);
  if (columns.length > 0 && (guard.read || guard.edit)) {
    // A restricted actor's statement carries their visibility: built per call, not cached.
    const result = await sql<Row>`
      update ${recordTable(object.table)}
      set ${sql.join([...columns.map((c) => sql`${sql.id(c)} = ${typedValue(object, c, keyed[c])}`), sql`version = version + 1`, sql`updated_at = now()`, sql`updated_by = ${actorId}::uuid`])}
      where id = ${id}::uuid and deleted_at is null
        ${expectedVersion === undefined ? sql`` : sql`and version = ${expectedVersion}::integer`}
        ${guard.edit ? sql`and ${guard.edit}` : sql``}
        and (${sql.join(Object.keys(values).map((c) => sql`${sql.ref(c)} is distinct from ${typedValue(object, c, keyed[c])}`), sql` or `)})
      returning ${columnList(object.columns)}`.execute(db);
    if (result.rows[0]) return result.rows[0];
  } else if (columns.length > 0) {
    // Slots: 0 id, 1 actor, 2 expected version, 3.. the values.
    const result = await executePrepared<Row>(
      db,
      object,
      `update:${expectedVersion === undefined ? '' : 'v:'}${columns.join(',')}`,
      () => {
        // Keys follow their values: a row whose values are unchanged is unchanged.
        const changed: RawBuilder<unknown>[] = columns.flatMap((c, i) => (c in values ? [sql`${sql.ref(c)} is distinct from ${typedSlot(object, c, i + 3)}`] : []));
        return sql`
          update ${recordTable(object.table)}
          set ${sql.join([...columns.map((c, i) => sql`${sql.id(c)} = ${typedSlot(object, c, i + 3)}`), sql`version = version + 1`, sql`updated_at = now()`, sql`updated_by = ${new Slot(1)}::uuid`])}
          where id = ${new Slot(0)}::uuid and deleted_at is null
            ${expectedVersion === undefined ? sql`` : sql`and version = ${new Slot(2)}::integer`}
            and (${sql.join(changed, sql` or `)})
          returning ${columnList(object.columns)}`;
      },
      [id, actorId, expectedVersion ?? null, ...columns.map((c) => parameterOf(object, c, keyed[c]))],
    );
    if (result.rows[0]) return result.rows[0];
  }
  // Nothing updated: the record is missing or invisible (404), not editable (403), stale (412), or unchanged.
  return currentRow(db, object, id, expectedVersion, guard, false);
}

/**
 * Reads (and by default locks) the current live row as the actor sees it: missing or invisible is
 * 404, visible but not editable 403, another version than expected 412.
 */
export async function currentRow(
  db: QueryExecutorProvider,
  object: CompiledObject,
  id: string,
  expectedVersion: number | undefined,
  guard: RowGuard = {},
  lock = true,
): Promise<Row> {
  const result = await sql<Row & { __editable: boolean }>`
    select ${columnList(object.columns)}, ${guard.edit ?? sql`true`} as __editable
    from ${recordTable(object.table)}
    where id = ${id}::uuid and deleted_at is null ${guard.read ? sql`and ${guard.read}` : sql``}
    ${lock ? sql`for update` : sql``}`.execute(db);
  const found = result.rows[0];
  if (!found) throw new CrmError('record_not_found', { object: object.name, id });
  const { __editable: editable, ...current } = found;
  if (!editable) throw new CrmError('forbidden', { action: 'edit', subject: `${object.name} ${id}` });
  if (expectedVersion !== undefined && Number(current.version) !== expectedVersion) {
    throw new CrmError('stale_version', { id, expected: expectedVersion, current: Number(current.version) });
  }
  if (lock && guard.refuseAwaitingApproval) await refuseIfAwaitingApproval(db, object, current, guard.refuseAwaitingApproval);
  return current;
}

/** What the locked form reports after a change (field history, ownership transfers). */
export interface UpdateEffects {
  readonly guard?: RowGuard;
  /** Checks a new owner before it is written. */
  readonly checkOwner?: (ownerId: unknown) => void;
  /** May resolve to the row as it is after further writes it caused (workflows); the update returns that. */
  readonly onChanged?: (db: QueryExecutorProvider, before: Row, after: Row, changed: ReadonlySet<string>) => Promise<Row | void>;
  /** Who and when, for validation rules (`$user`, `$now`); without it, the actor id and the current time. */
  readonly context?: RuleContext;
  /** The row as this transaction last wrote and locked it (a workflow updating the record it was triggered by): no need to read it again. */
  readonly current?: Row;
}

/**
 * What an update does to the stored row: the input checked and normalised against it (a retired
 * option it already holds stays valid), required and dependent-option checks on the result, and
 * the columns whose value actually changes. Throws validation_failed with every failing field.
 */
export function changesOf(object: CompiledObject, current: Row, input: unknown): { values: Row; changed: Set<string> } {
  const { values, changed, issues } = checkUpdatedFields(object, current, input);
  if (issues.length) throw validationError(issues);
  return { values, changed };
}

/** The locked form; `db` must be a transaction. */
export async function updateLocked(
  db: QueryExecutorProvider,
  object: CompiledObject,
  id: string,
  input: unknown,
  actorId: string,
  expectedVersion: number | undefined,
  effects: UpdateEffects = {},
): Promise<Row> {
  const current = effects.current && effects.current.id === id && expectedVersion === undefined ? effects.current : await currentRow(db, object, id, expectedVersion, effects.guard);
  // core's checkRecordInput, the check a browser runs too; a new owner is checked before the rules judge.
  const checked = checkRecordInput(object, input, {
    old: current,
    context: effects.context ?? { user: { id: actorId }, now: new Date() },
    beforeRules: (values, changed) => {
      if (changed.has('owner_id')) effects.checkOwner?.(values.owner_id);
    },
  });
  if (!checked.ok) throw checked.error;
  const { values, changed } = checked;
  if (changed.size === 0) return current;
  const stored = await updateRow(db, object, id, Object.fromEntries([...changed].map((c) => [c, values[c]])), actorId);
  if (needsRollupWork(object, changed)) await maintainRollups(db, object, [current, stored], changed);
  const rewritten = await effects.onChanged?.(db, current, stored, changed);
  return rewritten ?? stored;
}
