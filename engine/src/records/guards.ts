import { sql, type QueryExecutorProvider, type SqlBool } from 'kysely';
import { CrmError, validationError, type FieldIssue } from '../errors';
import { recordReferenceOf } from '../field-types';
import type { CompiledObject } from '../metadata/compiled';
import type { ActorAccess, ObjectAccess } from '../security/actor-access';
import type { Operation } from '../security/permissions';
import { recordPredicate } from '../security/record-predicates';
import { selectReferencesFound, type ReferenceProbe, type Row } from './statements';

/** The access checks of the write pipeline, in one place. */

export function requireOperation(access: ObjectAccess, op: Operation): void {
  if (!access.may(op)) throw new CrmError('forbidden', { action: op, subject: access.object.name });
}

/** Writing a hidden or read-only field is refused by name (403), before anything else is checked. */
export function refuseProtectedFields(access: ObjectAccess, input: unknown): void {
  if (input === null || typeof input !== 'object' || Array.isArray(input)) return;
  const issues: FieldIssue[] = [];
  for (const name of Object.keys(input)) {
    if (!access.object.fieldsByName.has(name)) continue;
    const mode = access.mode(name);
    if (mode !== 'editable') issues.push({ path: name, code: 'forbidden' });
  }
  // `{fields}` of the message is derived from the issues, so it names them as they are reported (by label where visible).
  if (issues.length) throw new CrmError('field_forbidden', {}, issues);
}

/** A record may only be given to an owner inside the actor's edit scope (own only, without edit rights). */
export function checkOwner(actor: ActorAccess, access: ObjectAccess, ownerId: unknown): void {
  if (typeof ownerId !== 'string') return;
  const owners = actor.owners(access.editScope ?? 'own');
  if (owners !== null && !owners.includes(ownerId)) throw new CrmError('forbidden', { action: 'transfer', subject: ownerId });
}

/**
 * A lookup may only point at a record the actor can read: pointing at an invisible record is
 * answered exactly like pointing at a missing one, so a write cannot probe for records. All the
 * references of the write are checked by one statement.
 */
export async function checkReferencesVisible(db: QueryExecutorProvider, actor: ActorAccess, object: CompiledObject, values: Row): Promise<void> {
  if (actor.unrestricted) return;
  const paths: string[] = [];
  const probes: ReferenceProbe[] = [];
  for (const field of object.userFields) {
    const reference = recordReferenceOf(field.definition);
    if (!reference || typeof values[field.name] !== 'string') continue;
    const target = actor.metadata.findObject(reference.target);
    if (!target) continue;
    const access = actor.object(target.name);
    const predicate = access.read ? recordPredicate(actor, target.name, 'read') : sql<SqlBool>`false`;
    if (!predicate) continue;
    paths.push(field.name);
    probes.push({ object: target, id: values[field.name] as string, predicate });
  }
  const found = await selectReferencesFound(db, probes);
  const issues: FieldIssue[] = paths.filter((_, i) => !found[i]).map((path) => ({ path, code: 'reference_not_found' }));
  if (issues.length) throw validationError(issues);
}
