import type { Transaction } from 'kysely';
import type { SystemDatabase } from '../db/system-tables';
import type { DocumentKinds, DocumentUpdate } from './document-kind';
import type { FieldDefinition } from './types';

/** Writes back documents rewritten by a rename or a cleanup. */
export async function writeDocumentUpdates(trx: Transaction<SystemDatabase>, kinds: DocumentKinds, updates: readonly DocumentUpdate[]): Promise<void> {
  for (const update of updates) {
    const definition = JSON.stringify(update.definition);
    const updated_at = new Date().toISOString();
    switch (update.kind) {
      case 'object':
        await trx.updateTable('crm_meta.objects').set({ definition, updated_at }).where('id', '=', update.id).execute();
        break;
      case 'field': {
        const field = update.definition as FieldDefinition;
        await trx.updateTable('crm_meta.fields').set({ definition, name: field.name, type: field.type, updated_at }).where('id', '=', update.id).execute();
        break;
      }
      case 'role':
        await trx.updateTable('crm_meta.roles').set({ definition, updated_at }).where('id', '=', update.id).execute();
        break;
      default: {
        // Documents attached to an object: their kind says where they are stored.
        const storage = kinds.find(update.kind)?.storage;
        if (!storage) throw new Error(`no storage for an update of a ${update.kind}`);
        await trx.updateTable(storage.table).set({ definition, updated_at }).where('id', '=', update.id).execute();
      }
    }
  }
}
