import { sql } from 'kysely';
import { describe, expect, it } from 'vitest';
import { systemActor } from '../actors';
import { expectCrmError, uniqueName, useTestEngine } from '../testing';

const harness = useTestEngine();

describe('metadata saved before a check existed', () => {
  it('does not block unrelated changes, while new documents with the same problem are refused', async () => {
    const { engine } = harness();
    const deal = uniqueName('deal');
    await engine.objects.create(systemActor, { name: deal, label: 'Deal', fields: [{ name: 'title', type: 'text', label: 'Title' }] });
    await engine.workflows.create(systemActor, deal, {
      name: 'greet',
      trigger: { type: 'record', events: ['created'] },
      actions: [{ type: 'notify', recipients: [{ field: 'owner_id' }], title: 'New {{title}}' }],
    });
    // As an older version would have stored it: a template naming no field of the object, which
    // today's check refuses when a workflow is saved.
    await sql`
      update crm_meta.workflows set definition = jsonb_set(definition, '{actions,0,title}', '"New {{titel}}"')
      where name = 'greet'`.execute(engine.database.db);
    await engine.objects.create(systemActor, { name: uniqueName('other'), label: 'Other' });
    await engine.fields.create(systemActor, deal, { name: 'amount', type: 'integer', label: 'Amount' });

    await expectCrmError(
      engine.workflows.create(systemActor, deal, {
        name: 'greet_again',
        trigger: { type: 'record', events: ['created'] },
        actions: [{ type: 'notify', recipients: [{ field: 'owner_id' }], title: 'New {{titel}}' }],
      }),
      'metadata_invalid',
    );
  });
});
