import { userActor } from '@crm/engine';
import { describe, expect, it } from 'vitest';
import { uniqueName, useTestServer } from '../support/test-server';

const server = useTestServer();

describe('?dry_run=true on metadata writes', () => {
  it('answers the plan and the verdict of a field change, changing nothing', async () => {
    const { api } = server();
    const deal = uniqueName('deal');
    expect((await api('POST', '/api/meta/objects', { name: deal, label: 'Deal', fields: [{ name: 'code', type: 'text', label: 'Code' }] })).status).toBe(201);
    for (const code of ['10', '20', 'n/a']) expect((await api('POST', `/api/records/${deal}`, { code })).status).toBe(201);
    const revision = (await api('GET', '/readyz')).body.revision;

    const added = await api('POST', `/api/meta/objects/${deal}/fields?dry_run=true`, { name: 'note', type: 'text', label: 'Note' });
    expect(added.status).toBe(200);
    expect(added.body).toEqual({ dry_run: true, valid: true, revision, operations: [{ op: 'add_column', table: deal, column: 'note', rewrites: false }] });
    expect((await api('GET', `/api/meta/objects/${deal}/fields/note`)).status).toBe(404);

    const retyped = await api('PATCH', `/api/meta/objects/${deal}/fields/code?dry_run=1`, { type: 'integer' }, { 'accept-language': 'zh-CN' });
    expect(retyped.status).toBe(200);
    expect(retyped.body.valid).toBe(false);
    expect(retyped.body.error.code).toBe('type_change_refused');
    expect(retyped.body.error.message).toMatch(/[\u4e00-\u9fff]/);
    expect(retyped.body.operations).toEqual([
      expect.objectContaining({ op: 'convert_column', column: 'code', rewrites: true, rows: 3, failing_rows: 1 }),
    ]);
    // The route's own parameters still work beside dry_run.
    const converting = await api('PATCH', `/api/meta/objects/${deal}/fields/code?convert=null_invalid&dry_run=true`, { type: 'integer' });
    expect(converting.body).toMatchObject({ valid: true, operations: [{ op: 'update_rows', rows: 1 }, { op: 'convert_column', rows: 3 }] });

    expect((await api('GET', '/readyz')).body.revision).toBe(revision);
    expect((await api('GET', `/api/meta/objects/${deal}/fields/code`)).body.type).toBe('text');
    expect((await api('GET', `/api/records/${deal}?sort=created_at`)).body.data.map((r: { code: string }) => r.code)).toEqual(['10', '20', 'n/a']);
  });

  it('covers objects, views, roles, departments and users; refuses a bad flag and keeps 403s', async () => {
    const { api } = server();
    const name = uniqueName('lead');
    const object = await api('POST', '/api/meta/objects?dry_run=true', { name, label: 'Lead', fields: [{ name: 'title', type: 'text', label: 'Title' }] });
    expect(object.body.operations.map((o: { op: string }) => o.op)).toEqual(['create_table', 'add_column']);
    expect((await api('GET', `/api/meta/objects/${name}`)).status).toBe(404);

    await api('POST', '/api/meta/objects', { name, label: 'Lead', fields: [{ name: 'title', type: 'text', label: 'Title' }] });
    const view = await api('POST', `/api/meta/objects/${name}/views?dry_run=true`, { name: 'all', type: 'list', columns: ['ghost'] });
    expect(view.body).toMatchObject({ dry_run: true, valid: false, operations: [] });
    expect(view.body.error.code).toBe('metadata_invalid');
    const deleted = await api('DELETE', `/api/meta/objects/${name}?dry_run=true`);
    expect(deleted.body).toMatchObject({ valid: true, operations: [{ op: 'rename_table', table: name }] });
    expect((await api('GET', `/api/meta/objects/${name}`)).status).toBe(200);

    const role = await api('POST', '/api/meta/roles?dry_run=true', { name: uniqueName('r'), label: 'R', objects: { [name]: { read: true } } });
    expect(role.body).toMatchObject({ valid: true, operations: [] });
    const department = await api('POST', '/api/departments?dry_run=true', { name: 'Sales' });
    expect(department.body).toMatchObject({ dry_run: true, valid: true });
    const user = await api('POST', '/api/users?dry_run=true', { name: 'Nobody', roles: ['no_such_role'] });
    expect(user.body).toMatchObject({ valid: false, error: { code: 'validation_failed' } });

    const bad = await api('POST', `/api/meta/objects/${name}/fields?dry_run=maybe`, { name: 'x', type: 'text', label: 'X' });
    expect(bad.status).toBe(400);
    expect(bad.body.error.fields[0]).toMatchObject({ path: 'dry_run' });
    // Reads know no dry_run: it stays an unknown parameter there.
    expect((await api('GET', `/api/meta/objects/${name}?dry_run=true`)).status).toBe(400);

    // Who may not change metadata learns nothing more from a dry run than from the change itself.
    const { engine } = server();
    const clerk = await api('POST', '/api/users', { name: 'Clerk' });
    const { token } = await engine.auth.createToken(userActor(clerk.body.id), { name: 'tests' });
    const refused = await api('POST', `/api/meta/objects/${name}/fields?dry_run=true`, { name: 'x', type: 'text', label: 'X' }, { authorization: `Bearer ${token}` });
    expect(refused.status).toBe(403);
  });

  it('is documented on every metadata write, with the plan\'s schema', async () => {
    const { api } = server();
    const document = (await api('GET', '/api/openapi.json')).body;
    const dryRun = (path: string, method: string) =>
      (document.paths[path]?.[method]?.parameters ?? []).some((p: { name?: string }) => p.name === 'dry_run');
    expect(dryRun('/api/meta/objects', 'post')).toBe(true);
    expect(dryRun('/api/meta/objects/{object}/fields/{field}', 'patch')).toBe(true);
    expect(dryRun('/api/meta/roles', 'post')).toBe(true);
    expect(dryRun('/api/departments', 'post')).toBe(true);
    expect(dryRun('/api/meta/objects', 'get')).toBe(false);
    expect(document.components.schemas.ChangePlan.required).toEqual(['dry_run', 'valid', 'operations']);
    expect(document.components.schemas.SchemaOperation.properties.op.enum).toContain('convert_column');
  });
});
