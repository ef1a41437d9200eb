import type { Transaction } from 'kysely';
import type { SystemDatabase } from '../db/system-tables';
import type { DocumentUpdate } from './references';

/** Writes back documents rewritten by a rename or a cleanup. */
export async function writeDocumentUpdates(trx: Transaction<SystemDatabase>, updates: readonly DocumentUpdate[]): Promise<void> {
  for (const update of updates) {
    const definition = JSON.stringify(update.definition);
    switch (update.kind) {
      case 'object':
        await trx.updateTable('crm_meta.objects').set({ definition, updated_at: new Date().toISOString() }).where('id', '=', update.id).execute();
        break;
      case 'field':
        await trx
          .updateTable('crm_meta.fields')
          .set({ definition, name: update.definition.name, type: update.definition.type, updated_at: new Date().toISOString() })
          .where('id', '=', update.id)
          .execute();
        break;
      case 'layout':
        await trx.updateTable('crm_meta.layouts').set({ definition, updated_at: new Date().toISOString() }).where('id', '=', update.id).execute();
        break;
      case 'view':
        await trx.updateTable('crm_meta.views').set({ definition, updated_at: new Date().toISOString() }).where('id', '=', update.id).execute();
        break;
      case 'role':
        await trx.updateTable('crm_meta.roles').set({ definition, updated_at: new Date().toISOString() }).where('id', '=', update.id).execute();
        break;
      case 'validation_rule':
        await trx.updateTable('crm_meta.validation_rules').set({ definition, updated_at: new Date().toISOString() }).where('id', '=', update.id).execute();
        break;
      case 'workflow':
        await trx.updateTable('crm_meta.workflows').set({ definition, updated_at: new Date().toISOString() }).where('id', '=', update.id).execute();
        break;
      case 'approval_process':
        await trx.updateTable('crm_meta.approval_processes').set({ definition, updated_at: new Date().toISOString() }).where('id', '=', update.id).execute();
        break;
    }
  }
}
