import { describe, expect, it } from 'vitest';
import { apiOf, killServer, spawnedDatabase, spawnServer, tokenFor, type ServerProcess } from '../support/spawn-server';

const ADMIN = { email: 'ops@example.com', password: 'correct horse battery staple' };

/**
 * A run that changed a record leaves its log, whatever happens to the process: the server is
 * killed (SIGKILL, nothing flushed) the moment the API answered, and after a restart the run log
 * has the runs of those writes - a create whose workflows rode along with its INSERT, and an
 * update whose workflow ran after it.
 */
describe('the workflow run log across a crash', () => {
  it('keeps the runs of writes the API answered just before the server was killed', async () => {
    const database = await spawnedDatabase();
    const env = { ...database.env, CRM_ADMIN_EMAIL: ADMIN.email, CRM_ADMIN_PASSWORD: ADMIN.password };
    let server: ServerProcess | undefined;
    try {
      server = await spawnServer(env);
      let api = apiOf(server, await tokenFor(server, ADMIN));
      const fields = [{ name: 'name', type: 'text', label: 'Name' }, { name: 'amount', type: 'integer', label: 'Amount' }, { name: 'note', type: 'text', label: 'Note' }];
      expect((await api('POST', '/api/meta/objects', { name: 'deal', label: 'Deal', fields })).status).toBe(201);
      // Planned before the insert: it rides along with the create's INSERT.
      const big = { name: 'big_deal', trigger: { type: 'record', events: ['created'], condition: { '>': [{ var: 'amount' }, 100] } }, actions: [{ type: 'update_record', values: { note: 'big' } }] };
      // Runs after the update, in its transaction.
      const renamed = { name: 'renamed', trigger: { type: 'record', events: ['updated'], fields: ['name'] }, actions: [{ type: 'update_record', values: { note: { cat: ['was ', { var: '$old.name' }] } } }] };
      for (const workflow of [big, renamed]) expect((await api('POST', '/api/meta/objects/deal/workflows', workflow)).status).toBe(201);
      const existing = (await api('POST', '/api/records/deal', { name: 'Old name', amount: 1 })).body;

      const [created, updated] = await Promise.all([api('POST', '/api/records/deal', { name: 'Big', amount: 500 }), api('PATCH', `/api/records/deal/${existing.id}`, { name: 'New name' })]);
      await killServer(server);
      expect(created).toMatchObject({ status: 201, body: { note: 'big' } });
      expect(updated).toMatchObject({ status: 200, body: { note: 'was Old name' } });

      server = await spawnServer(env);
      api = apiOf(server, await tokenFor(server, ADMIN));
      const runsOf = async (record: string) => (await api('GET', `/api/workflow-runs?record=${record}`)).body.data;
      expect(await runsOf(created.body.id)).toMatchObject([{ workflow: 'big_deal', trigger: 'created', outcome: 'completed' }]);
      expect(await runsOf(existing.id)).toMatchObject([{ workflow: 'renamed', trigger: 'updated', outcome: 'completed' }]);
      expect(await server.stop()).toBe(0);
      server = undefined;
    } finally {
      if (server) await killServer(server);
      await database.drop();
    }
  }, 120_000);
});
