import type { Kysely } from 'kysely';
import type { Actor } from '../actors';
import type { SystemDatabase } from '../db/system-tables';
import { CrmError, reason, validationError, type FieldIssue } from '../errors';
import { isUuid, newId } from '../metadata/ids';
import type { RecordAccess, RecordService } from '../records/record-service';
import { recordAudit } from '../db/audit-entries';

export interface RecordShare {
  readonly id: string;
  readonly user_id: string | null;
  readonly department_id: string | null;
  readonly access: 'read' | 'edit';
  readonly granted_by: string;
  readonly created_at: string;
}

/** A record's shares, and whether the caller may change them (what POST and DELETE would allow). */
export interface RecordShareList {
  readonly data: RecordShare[];
  readonly can_share: boolean;
}

export interface ShareInput {
  readonly user_id?: string;
  readonly department_id?: string;
  readonly access: 'read' | 'edit';
}


function checkShare(input: unknown): ShareInput {
  const issues: FieldIssue[] = [];
  if (input === null || typeof input !== 'object' || Array.isArray(input)) throw validationError([{ path: '', code: 'type', params: { expected: 'a JSON object' } }]);
  const { user_id: userId, department_id: departmentId, access, ...rest } = input as Record<string, unknown>;
  for (const key of Object.keys(rest)) issues.push({ path: key, code: 'unknown_field' });
  if ((userId === undefined) === (departmentId === undefined)) issues.push({ path: 'user_id', code: 'invalid', params: { reason: reason('give_one_of', { choices: ['user_id', 'department_id'] }) } });
  for (const [path, value] of [['user_id', userId], ['department_id', departmentId]] as const) {
    if (value !== undefined && (typeof value !== 'string' || !isUuid(value))) issues.push({ path, code: 'type', params: { expected: 'a record id' } });
  }
  if (access !== 'read' && access !== 'edit') issues.push({ path: 'access', code: 'invalid', params: { reason: reason('must_be_choice', { choices: ['read', 'edit'] }) } });
  if (issues.length) throw validationError(issues);
  return input as ShareInput;
}

/**
 * Sharing a record with a user or a department (and its sub-departments), for reading or editing.
 * Only someone who may edit the record can share it, so nobody grants access they do not hold.
 */
export class ShareService {
  constructor(
    private readonly db: Kysely<SystemDatabase>,
    private readonly records: RecordService,
  ) {}

  /** Any reader may see who else has access; `can_share` says whether grant and revoke would be accepted. */
  async list(actor: Actor, objectName: string, recordId: string): Promise<RecordShareList> {
    const scope = await this.records.accessFor(actor, objectName);
    const editable = await this.#record(scope, recordId, 'read');
    const data = await this.db
      .selectFrom('crm_meta.record_shares')
      .select(['id', 'user_id', 'department_id', 'access', 'granted_by', 'created_at'])
      .where('object_id', '=', scope.object.id)
      .where('record_id', '=', recordId)
      .orderBy('created_at')
      .execute();
    return { data, can_share: editable && scope.access.may('edit') };
  }

  async grant(actor: Actor, objectName: string, recordId: string, input: unknown): Promise<RecordShare> {
    const share = checkShare(input);
    const scope = await this.records.accessFor(actor, objectName);
    await this.#record(scope, recordId, 'edit');
    const grantedBy = scope.context.user.id;
    return this.db.transaction().execute(async (trx) => {
      const principal = share.user_id
        ? await trx.selectFrom('crm_meta.users').select('id').where('id', '=', share.user_id).executeTakeFirst()
        : await trx.selectFrom('crm_meta.departments').select('id').where('id', '=', share.department_id!).executeTakeFirst();
      if (!principal) throw validationError([{ path: share.user_id ? 'user_id' : 'department_id', code: 'reference_not_found' }]);
      // Upsert by hand: INSERT ... ON CONFLICT is avoided on PGlite (see DESIGN.md).
      const existing = await trx
        .selectFrom('crm_meta.record_shares')
        .select('id')
        .where('object_id', '=', scope.object.id)
        .where('record_id', '=', recordId)
        .where(share.user_id ? 'user_id' : 'department_id', '=', (share.user_id ?? share.department_id)!)
        .forUpdate()
        .executeTakeFirst();
      const id = existing?.id ?? newId();
      if (existing) await trx.updateTable('crm_meta.record_shares').set({ access: share.access, granted_by: grantedBy }).where('id', '=', id).execute();
      else {
        await trx
          .insertInto('crm_meta.record_shares')
          .values({ id, object_id: scope.object.id, record_id: recordId, user_id: share.user_id ?? null, department_id: share.department_id ?? null, access: share.access, granted_by: grantedBy })
          .execute();
      }
      await recordAudit(trx, { actorId: grantedBy, event: 'share_granted', subject: `${objectName}/${recordId}`, details: { ...share } });
      return trx.selectFrom('crm_meta.record_shares').select(['id', 'user_id', 'department_id', 'access', 'granted_by', 'created_at']).where('id', '=', id).executeTakeFirstOrThrow();
    });
  }

  async revoke(actor: Actor, objectName: string, recordId: string, shareId: string): Promise<void> {
    const scope = await this.records.accessFor(actor, objectName);
    await this.#record(scope, recordId, 'edit');
    if (!isUuid(shareId)) throw new CrmError('share_not_found', { id: shareId });
    await this.db.transaction().execute(async (trx) => {
      const removed = await trx
        .deleteFrom('crm_meta.record_shares')
        .where('id', '=', shareId)
        .where('object_id', '=', scope.object.id)
        .where('record_id', '=', recordId)
        .returning(['user_id', 'department_id', 'access'])
        .executeTakeFirst();
      if (!removed) throw new CrmError('share_not_found', { id: shareId });
      await recordAudit(trx, { actorId: scope.context.user.id, event: 'share_revoked', subject: `${objectName}/${recordId}`, details: { ...removed } });
    });
  }

  /** The record must be visible (else 404) and, to change its shares, editable (else 403); answers whether it is editable. */
  async #record(scope: RecordAccess, recordId: string, need: 'read' | 'edit'): Promise<boolean> {
    if (!scope.access.may(need === 'read' ? 'read' : 'edit')) throw new CrmError('forbidden', { action: need === 'read' ? 'read' : 'share', subject: scope.object.name });
    if (!isUuid(recordId)) throw new CrmError('record_not_found', { object: scope.object.name, id: recordId });
    const found = await scope.reach(this.db, recordId, { columns: ['id'] });
    if (!found) throw new CrmError('record_not_found', { object: scope.object.name, id: recordId });
    if (need === 'edit' && !found.editable) throw new CrmError('forbidden', { action: 'share', subject: `${scope.object.name} ${recordId}` });
    return found.editable;
  }
}
