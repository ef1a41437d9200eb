import type { Transaction } from 'kysely';
import { SYSTEM_USER_ID } from '../actors';
import type { SystemDatabase } from '../db/system-tables';
import { CrmError, reason, type FieldIssue } from '../errors';
import { liveObject } from './snapshot';
import type { StoredObject } from './snapshot';

/**
 * Shared by the services of documents attached to an object (validation rules, approval
 * processes, workflows): the stored object they belong to, and the users they name by id.
 */
export function storedObject(objects: readonly StoredObject[], name: string): StoredObject {
  const object = liveObject({ objects }, name);
  if (!object) throw new CrmError('object_not_found', { object: name });
  return object;
}

/** Users named by id must be real, active people (users are not metadata, so validate-graph cannot tell). */
export async function requireActiveUsers(trx: Transaction<SystemDatabase>, kind: string, named: readonly { id: string; path: string }[]): Promise<void> {
  if (named.length === 0) return;
  const rows = await trx.selectFrom('crm_meta.users').select(['id', 'active']).where('id', 'in', [...new Set(named.map((n) => n.id))]).execute();
  const byId = new Map(rows.map((r) => [r.id, r]));
  const issues: FieldIssue[] = [];
  for (const { id, path } of named) {
    const user = byId.get(id);
    const why = !user || id === SYSTEM_USER_ID ? reason('user_missing', { id }) : !user.active ? reason('user_deactivated', { id }) : undefined;
    if (why) issues.push({ path, code: 'invalid', params: { reason: why } });
  }
  if (issues.length) throw new CrmError('metadata_invalid', { kind }, issues);
}
