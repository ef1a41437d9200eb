import { sql, type QueryExecutorProvider } from 'kysely';
import { reason, validationError } from '../errors';
import { referenceOf } from '../field-types';
import type { CompiledObject } from '../metadata/compiled';
import type { RuleContext } from '../metadata/rule-scope';
import { recordTable } from '../schema-sync/ddl';
import { outputRecord, type RecordData } from './representation';
import { columnList, type Row } from './statements';
import { visibleSelection } from './list-query';
import type { ActorAccess } from '../security/actor-access';
import { recordPredicate } from '../security/record-predicates';

/** Checks `expand` names: reference fields (lookup, master-detail, user, and the system user fields). */
export function checkExpand(object: CompiledObject, expand: readonly string[] | undefined): string[] {
  if (!expand || expand.length === 0) return [];
  const issues = expand
    .filter((name) => {
      const field = object.fieldsByName.get(name);
      return !field || name === 'id' || !referenceOf(field.definition);
    })
    .map((name) => ({ path: `expand/${name}`, code: 'invalid' as const, params: { reason: reason('not_lookup_or_user_field', { name, object: object.name }) } }));
  if (issues.length) throw validationError(issues);
  return [...new Set(expand)];
}

/**
 * Replaces reference ids by the referenced records (one query per expanded field for the whole
 * page). A reference the actor may not read, or to a record in the recycle bin, becomes `{id}`
 * alone: the id is already on the record, and nothing more is given away.
 */
export async function expandReferences(
  db: QueryExecutorProvider,
  actor: ActorAccess,
  object: CompiledObject,
  records: RecordData[],
  expand: readonly string[],
  context: RuleContext,
): Promise<void> {
  const metadata = actor.metadata;
  for (const name of expand) {
    const field = object.fieldsByName.get(name)!;
    const reference = referenceOf(field.definition)!;
    const ids = [...new Set(records.map((r) => r[name]).filter((v): v is string => typeof v === 'string'))];
    const found = new Map<string, RecordData>();
    if (ids.length > 0) {
      if (reference.to === 'user') {
        const users = await sql<Row>`select id, name, email, active from crm_meta.users where id = any(${ids}::uuid[])`.execute(db);
        for (const user of users.rows) found.set(user.id as string, user);
      } else {
        // The referenced record appears only as the actor could read it directly: else the id stays, unexpanded.
        const target = metadata.object(reference.target);
        const access = actor.object(target.name);
        if (access.read) {
          const predicate = recordPredicate(actor, target.name, 'read');
          const rows = await sql<Row>`
            select ${columnList(target.columns)} from ${recordTable(target.table)}
            where id = any(${ids}::uuid[]) and deleted_at is null ${predicate ? sql`and ${predicate}` : sql``}`.execute(db);
          const select = visibleSelection(target, undefined, access.hidden);
          for (const row of rows.rows) found.set(row.id as string, outputRecord(target, row, context, select));
        }
      }
    }
    for (const record of records) {
      const id = record[name];
      if (typeof id === 'string') record[name] = found.get(id) ?? (reference.to === 'user' ? null : { id });
    }
  }
}
