import { rm } from 'node:fs/promises';
import { describe, expect, it } from 'vitest';
import { systemActor } from '../actors';
import { createEngine, type EngineOptions } from '../engine';
import type { FieldDefinition } from '../metadata/types';
import { installTemplate } from '../templates/install-template';
import { createTestDatabase, createTestDataDir, expectCrmError, uniqueName, useTestEngine, waitFor } from '../testing';

/**
 * A workflow whose webhooks or email this server could not deliver is refused when it is saved,
 * naming the action and the setting; a write never fails because of a delivery setting, even when
 * the setting went away after the workflow was saved: its job fails, saying what to set.
 */
const harness = useTestEngine();

const fields: FieldDefinition[] = [
  { name: 'title', type: 'text', label: 'Title' },
  { name: 'flagged', type: 'boolean', label: 'Flagged' },
];
const hookAndMail = (name: string, extra: Record<string, unknown> = {}) => ({
  name,
  trigger: { type: 'record', events: ['created'] },
  actions: [
    { type: 'update_record', values: { flagged: true } },
    { name: 'erp', type: 'webhook', url: 'https://erp.example.com/hooks' },
    { type: 'send_email', to: ['sales@example.com'], subject: 'New {{title}}', text: 'x' },
  ],
  ...extra,
});

describe('delivery settings and workflows', () => {
  it('refuses on save an active workflow this server could not deliver, naming each action and the setting, in both languages', async () => {
    const { engine } = harness();
    const deal = uniqueName('deal');
    await engine.objects.create(systemActor, { name: deal, label: 'Deal', fields });
    const revision = (await engine.metadata(systemActor)).revision;
    const error = await expectCrmError(engine.workflows.create(systemActor, deal, hookAndMail('tell_erp')), 'metadata_invalid');
    expect(error.status).toBe(400);
    expect(error.fields.map((f) => [f.path, f.code])).toEqual([
      ['actions/1', 'webhook_secret_not_set'],
      ['actions/2', 'smtp_not_set'],
    ]);
    const body = error.toBody('en').error;
    expect(body.fields[0]!.message).toBe(
      'action "erp" sends a webhook, but this server has no secret to sign it with: set CRM_WEBHOOK_SECRET and restart the server, or save the workflow inactive',
    );
    expect(body.fields[1]!.message).toContain('action "3:send_email" sends email');
    expect(body.fields[1]!.message).toContain('set CRM_SMTP_URL');
    expect(body.message).toContain('CRM_WEBHOOK_SECRET');
    const zh = error.toBody('zh-CN').error;
    expect(zh.fields[0]!.message).toContain('请设置 CRM_WEBHOOK_SECRET');
    expect(zh.fields[1]!.message).toContain('请设置 CRM_SMTP_URL');
    // Nothing was saved.
    expect(await engine.workflows.list(systemActor, deal)).toEqual([]);
    expect((await engine.metadata(systemActor)).revision).toBe(revision);

    // Inactive, it never runs: it may be saved, but not activated; deactivating is always possible.
    await engine.workflows.create(systemActor, deal, hookAndMail('later', { active: false }));
    const activate = await expectCrmError(engine.workflows.update(systemActor, deal, 'later', { active: true }), 'metadata_invalid');
    expect(activate.fields.map((f) => f.code)).toEqual(['webhook_secret_not_set', 'smtp_not_set']);
    expect((await engine.workflows.get(systemActor, deal, 'later')).active).toBe(false);
  });

  it('refuses a template with such a workflow before installing anything of it', async () => {
    const { engine } = harness();
    const object = uniqueName('ticket');
    const template = {
      name: 'desk',
      version: '1.0.0',
      label: 'Desk',
      objects: [{ name: object, label: 'Ticket', fields }],
      workflows: [{ object, ...hookAndMail('tell_erp') }],
    };
    const error = await expectCrmError(installTemplate(engine, systemActor, template), 'metadata_invalid');
    expect(error.fields.map((f) => [f.path, f.code])).toEqual([
      ['workflows/0/actions/1', 'webhook_secret_not_set'],
      ['workflows/0/actions/2', 'smtp_not_set'],
    ]);
    expect((await engine.objects.list(systemActor)).map((o) => o.name)).not.toContain(object);
  });

  it('never fails a write for a setting that went away after the workflow was saved: the jobs fail, saying what to set', async () => {
    const database = await createTestDatabase();
    // PGlite: a data folder, so that a second engine opens what the first saved.
    const dataDir = database.kind === 'pglite' ? await createTestDataDir('crm-delivery-') : undefined;
    const options: EngineOptions = dataDir ? { dataDir } : database.options;
    try {
      const configured = await createEngine({ ...options, delivery: { webhook: { secret: 'whsec_before' }, mail: { smtpUrl: 'smtp://127.0.0.1:2525' } } });
      try {
        await configured.objects.create(systemActor, { name: 'deal', label: 'Deal', fields });
        await configured.workflows.create(systemActor, 'deal', hookAndMail('tell_erp'));
      } finally {
        await configured.close();
      }
      // Restarted without the secret and the SMTP server.
      const engine = await createEngine({ ...options, jobs: { maxAttempts: 1, pollIntervalMs: 20 } });
      try {
        expect(await engine.workflows.undeliverable(systemActor)).toEqual([{ object: 'deal', workflow: 'tell_erp', actions: ['erp (CRM_WEBHOOK_SECRET)', '3:send_email (CRM_SMTP_URL)'] }]);
        const created = await engine.records.create(systemActor, 'deal', { title: 'Acme' });
        expect(created).toMatchObject({ title: 'Acme', flagged: true });
        await engine.jobs.start();
        const [run] = await engine.workflowRuns.list(systemActor, { record: created.id as string });
        expect(run).toMatchObject({ workflow: 'tell_erp', outcome: 'completed' });
        const jobIds = run!.actions.map((a) => (a.detail as { job_id?: string }).job_id).filter((id) => id !== undefined);
        expect(jobIds).toHaveLength(2);
        const jobs = await waitFor(async () => {
          const found = await Promise.all(jobIds.map((id) => engine.jobs.get(systemActor, id)));
          return found.every((job) => job.state === 'dead') && found;
        });
        expect(jobs.map((job) => [job.task, job.last_error])).toEqual([
          ['webhook', 'not sent: no webhook secret is configured; set CRM_WEBHOOK_SECRET and restart the server (or give the job a secret)'],
          ['email', 'email is not configured: set CRM_SMTP_URL'],
        ]);
      } finally {
        await engine.close();
      }
    } finally {
      await database.drop();
      if (dataDir) await rm(dataDir, { recursive: true, force: true });
    }
  }, 60_000);
});
