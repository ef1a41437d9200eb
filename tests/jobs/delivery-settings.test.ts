import { describe, expect, it } from 'vitest';
import { apiOf, spawnedDatabase, spawnServer, tokenFor, type ServerProcess } from '../support/spawn-server';
import { startReceiver, waitFor } from './support';

const ADMIN = { email: 'ops@example.com', password: 'correct horse battery staple' };

/**
 * Delivery and job settings of the real server process: a value it cannot use stops it at start,
 * naming the variable; a workflow saved while a setting allowed its webhook keeps every write
 * working after a restart without it, and the server says so when it starts.
 */
describe('delivery settings of the server process', () => {
  it('refuses to start with settings it cannot use, naming each variable', async () => {
    const failure = await spawnServer({
      DATABASE_URL: '',
      CRM_DATA_DIR: 'memory://',
      CRM_JOBS_CONCURRENCY: 'abc',
      CRM_SMTP_URL: 'mail.example.com:25',
      CRM_MAIL_FROM: 'crm at example',
      TZ: 'Mars/Olympus',
    }).then(
      (server) => server.stop().then(() => 'started'),
      (error: Error) => error.message,
    );
    expect(failure).toContain('server exited with 1');
    expect(failure).toContain('CRM cannot start:');
    expect(failure).toContain('CRM_JOBS_CONCURRENCY="abc" must be a whole number from 1 to 1000');
    expect(failure).toContain('CRM_SMTP_URL="mail.example.com:25" must be smtp://');
    expect(failure).toContain('CRM_MAIL_FROM="crm at example" must be an email address');
    expect(failure).toContain('TZ="Mars/Olympus" must be an IANA time zone name');
    // A configuration problem, not a crash: no stack trace.
    expect(failure).not.toMatch(/\n\s+at /);
  }, 60_000);

  it('restarted without the webhook secret: warns naming the workflow, refuses new ones, and writes still succeed while the job fails saying what to set', async () => {
    const database = await spawnedDatabase();
    const receiver = await startReceiver();
    const env = { ...database.env, CRM_ADMIN_EMAIL: ADMIN.email, CRM_ADMIN_PASSWORD: ADMIN.password, CRM_JOBS_POLL_MS: '50', CRM_JOBS_MAX_ATTEMPTS: '1' };
    let server: ServerProcess | undefined;
    try {
      server = await spawnServer({ ...env, CRM_WEBHOOK_SECRET: 'whsec_before_restart' });
      let api = apiOf(server, await tokenFor(server, ADMIN));
      expect((await api('POST', '/api/meta/objects', { name: 'deal', label: 'Deal', fields: [{ name: 'name', type: 'text', label: 'Name' }, { name: 'flagged', type: 'boolean', label: 'Flagged' }] })).status).toBe(201);
      const workflow = {
        name: 'tell_erp',
        trigger: { type: 'record', events: ['created'] },
        actions: [
          { name: 'flag', type: 'update_record', values: { flagged: true } },
          { name: 'erp', type: 'webhook', url: receiver.url },
        ],
      };
      expect((await api('POST', '/api/meta/objects/deal/workflows', workflow)).status).toBe(201);
      expect(server.output()).not.toContain('cannot deliver');
      expect(await server.stop()).toBe(0);

      server = await spawnServer({ ...env, CRM_WEBHOOK_SECRET: '' });
      expect(server.output()).toContain('active workflows cannot deliver until their settings are set (their jobs fail meanwhile): deal.tell_erp: erp (CRM_WEBHOOK_SECRET)');
      api = apiOf(server, await tokenFor(server, ADMIN));

      const refused = await api('POST', '/api/meta/objects/deal/workflows', { ...workflow, name: 'tell_erp_too' }, { 'accept-language': 'zh-CN' });
      expect(refused.status).toBe(400);
      expect(refused.body.error).toMatchObject({ code: 'metadata_invalid', fields: [{ path: 'actions/1', code: 'webhook_secret_not_set' }] });
      expect(refused.body.error.fields[0].message).toBe('动作 "erp" 会发送 Webhook，但服务器没有用于签名的密钥：请设置 CRM_WEBHOOK_SECRET 并重启服务器，或将工作流保存为停用状态');

      const created = await api('POST', '/api/records/deal', { name: 'Acme' });
      expect(created.status).toBe(201);
      expect(created.body).toMatchObject({ name: 'Acme', flagged: true });
      const dead = await waitFor(async () => {
        const jobs = (await api('GET', '/api/jobs?task=webhook&state=dead')).body.data as { last_error: string; payload: { body: { record: { id: string } } } }[];
        return jobs.find((job) => job.payload.body.record.id === created.body.id);
      }, 15_000, 'the webhook job dead-lettered');
      expect(dead.last_error).toBe('not sent: no webhook secret is configured; set CRM_WEBHOOK_SECRET and restart the server (or give the job a secret)');
      expect(receiver.receipts).toEqual([]);
      expect(await server.stop()).toBe(0);
      server = undefined;
    } finally {
      if (server) await server.stop().catch(() => {});
      await receiver.close();
      await database.drop();
    }
  }, 120_000);
});
