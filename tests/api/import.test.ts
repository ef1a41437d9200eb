import { systemActor, userActor } from '@crm/engine';
import { describe, expect, it } from 'vitest';
import { uniqueName, useTestServer } from '../support/test-server';

const server = useTestServer();

/** A deal object with every kind of cell an import reads, a validation rule and a workflow. */
async function setup(): Promise<{ deal: string }> {
  const { api } = server();
  const deal = uniqueName('deal');
  const created = await api('POST', '/api/meta/objects', {
    name: deal,
    label: { en: 'Deal', 'zh-CN': '商机' },
    title_field: 'title',
    fields: [
      { name: 'title', type: 'text', label: { en: 'Title', 'zh-CN': '标题' }, required: true },
      { name: 'amount', type: 'currency', label: { en: 'Amount', 'zh-CN': '金额' } },
      { name: 'qty', type: 'integer', label: 'Quantity' },
      { name: 'stage', type: 'select', label: 'Stage', options: ['new', 'won', 'lost'].map((value) => ({ value, label: value })) },
      { name: 'tags', type: 'multiselect', label: 'Tags', options: ['a', 'b', 'c'].map((value) => ({ value, label: value })) },
      { name: 'hot', type: 'boolean', label: 'Hot' },
      { name: 'code', type: 'text', label: 'Code', unique: true },
      { name: 'extra', type: 'json', label: 'Extra' },
      { name: 'loss_reason', type: 'text', label: 'Loss reason' },
      { name: 'number', type: 'autonumber', label: 'Number', pattern: 'D-{0000}' },
    ],
  });
  expect(created.status).toBe(201);
  const rule = await api('POST', `/api/meta/objects/${deal}/validation-rules`, {
    name: 'lost_needs_reason',
    condition: { or: [{ '!=': [{ var: 'stage' }, 'lost'] }, { '!!': [{ var: 'loss_reason' }] }] },
    message: { en: 'A lost deal needs a reason', 'zh-CN': '输单须填写原因' },
    fields: ['loss_reason'],
  });
  expect(rule.status).toBe(201);
  const workflow = await api('POST', `/api/meta/objects/${deal}/workflows`, {
    name: 'big_is_hot',
    trigger: { type: 'record', events: ['created', 'updated'], condition: { '>': [{ var: 'amount' }, 100000] } },
    actions: [{ type: 'update_record', values: { hot: true } }],
  });
  expect(workflow.status).toBe(201);
  return { deal };
}

async function importFile(path: string, body: string, type = 'text/csv', headers: Record<string, string> = {}) {
  const { base, token } = server();
  const response = await fetch(`${base}${path}`, { method: 'POST', headers: { authorization: `Bearer ${token}`, 'content-type': type, ...headers }, body });
  return { status: response.status, body: (await response.json()) as any }; // eslint-disable-line @typescript-eslint/no-explicit-any
}

describe('importing records over HTTP', () => {
  it('creates records from CSV by API name or label, reading cells as the export writes them, through the whole pipeline', async () => {
    const { api } = server();
    const { deal } = await setup();
    const csv = [
      'Title,金额,qty,stage,tags,hot,code,extra',
      'Alpha,1200.50,3,new,a;b,yes,A-1,"{""source"":""fair""}"',
      '"Beta, Inc.",250000,,won,,,B-1,',
      '',
      'Gamma,10,x,new,a,no,C-1,[1]',
    ].join('\r\n');
    const result = await importFile(`/api/records/${deal}/import`, `\ufeff${csv}`);
    expect(result.status).toBe(200);
    expect(result.body.summary).toEqual({ created: 2, updated: 0, failed: 1, rows: 3 });
    expect(result.body.committed).toBe(true);
    const [alpha, beta, gamma] = result.body.results;
    expect(alpha).toMatchObject({ line: 2, status: 'created', id: expect.any(String) });
    expect(beta).toMatchObject({ line: 3, status: 'created' });
    // A bad cell fails its row only, named like any write error, with the line it came from.
    expect(gamma).toMatchObject({ line: 5, status: 'failed', error: { code: 'validation_failed', fields: [{ path: 'qty' }] } });

    const stored = (await api('GET', `/api/records/${deal}?sort=title`)).body.data;
    expect(stored).toHaveLength(2);
    expect(stored[0]).toMatchObject({ title: 'Alpha', amount: '1200.50', qty: 3, stage: 'new', tags: ['a', 'b'], hot: true, code: 'A-1', extra: { source: 'fair' }, number: 'D-0001' });
    // The workflow ran for the big one; empty cells set nothing.
    expect(stored[1]).toMatchObject({ title: 'Beta, Inc.', amount: '250000.00', qty: null, stage: 'won', tags: null, hot: true, extra: null });
  });

  it('upserts by a unique field, reports validation rules per row, and writes nothing with all_or_nothing', async () => {
    const { api } = server();
    const { deal } = await setup();
    await importFile(`/api/records/${deal}/import`, 'title,code,amount\nOld,K-1,10\n');
    const ndjson = [
      JSON.stringify({ title: 'Renamed', code: 'K-1', amount: '20' }),
      JSON.stringify({ title: 'Fresh', code: 'K-2', stage: 'lost' }),
      '',
      JSON.stringify({ title: 'Lost with reason', code: 'K-3', stage: 'lost', loss_reason: 'price' }),
    ].join('\n');
    const all = await importFile(`/api/records/${deal}/import?mode=upsert&upsert_field=code&all_or_nothing=true`, ndjson, 'application/x-ndjson');
    expect(all.status).toBe(200);
    expect(all.body.committed).toBe(false);
    expect(all.body.results.map((r: { line: number; status: string }) => [r.line, r.status])).toEqual([
      [1, 'rolled_back'],
      [2, 'failed'],
      [4, 'rolled_back'],
    ]);
    expect(all.body.results[1].error).toMatchObject({ code: 'rule_violation', fields: [{ path: 'loss_reason', code: 'rule:lost_needs_reason' }] });
    expect((await api('GET', `/api/records/${deal}?count=true`)).body).toMatchObject({ total: 1, data: [{ title: 'Old', amount: '10.00' }] });

    const some = await importFile(`/api/records/${deal}/import?mode=upsert&upsert_field=code`, ndjson, 'application/x-ndjson', { 'accept-language': 'zh-CN' });
    expect(some.body.summary).toEqual({ created: 1, updated: 1, failed: 1, rows: 3 });
    expect(some.body.results[1].error.message).toContain('输单须填写原因');
    const titles = (await api('GET', `/api/records/${deal}?sort=code`)).body.data.map((r: { title: string; version: number }) => [r.title, r.version]);
    expect(titles).toEqual([
      ['Renamed', 2],
      ['Lost with reason', 1],
    ]);
  });

  it('refuses a file it cannot read as a whole, in the one error shape, and writes nothing', async () => {
    const { api } = server();
    const { deal } = await setup();
    const cases: [string, string, string, string][] = [
      ['title,colour\nA,red\n', 'text/csv', 'validation_failed', 'columns/colour'],
      ['title,number\nA,D-9\n', 'text/csv', 'validation_failed', 'columns/number'],
      ['title,Title\nA,B\n', 'text/csv', 'validation_failed', 'columns/Title'],
      ['title,amount\n"unclosed,1\n', 'text/csv', 'validation_failed', ''],
      ['title,amount\nA,1,extra\n', 'text/csv', 'validation_failed', ''],
      ['{"title":"A"}\nnot json\n', 'application/x-ndjson', 'validation_failed', 'line/2'],
      ['title\n', 'text/csv', 'validation_failed', 'data'],
    ];
    for (const [body, type, code, path] of cases) {
      const refused = await importFile(`/api/records/${deal}/import`, body, type);
      expect(refused.status, body).toBe(400);
      expect(refused.body.error.code, body).toBe(code);
      if (path) expect(refused.body.error.fields.map((f: { path: string }) => f.path), body).toContain(path);
    }
    expect((await importFile(`/api/records/${deal}/import?mode=merge`, 'title\nA\n')).body.error.fields[0].path).toBe('mode');
    expect((await importFile(`/api/records/${deal}/import?mode=upsert&upsert_field=title`, 'title\nA\n')).body.error.fields[0].path).toBe('upsert_field');
    expect((await importFile(`/api/records/${deal}/import`, '{"title":"A"}', 'application/json')).status).toBe(415);
    expect((await importFile(`/api/records/${deal}/import?colour=red`, 'title\nA\n')).status).toBe(400);
    expect((await importFile(`/api/records/nothing_here/import`, 'title\nA\n')).status).toBe(404);
    expect((await api('GET', `/api/records/${deal}?count=true`)).body.total).toBe(0);
  });

  it('follows the importer\'s rights: create permission, hidden and read-only fields, and is audited', async () => {
    const { api, engine } = server();
    const { deal } = await setup();
    const role = uniqueName('clerk');
    await engine.roles.create(systemActor, { name: role, label: 'Clerk', objects: { [deal]: { create: true, read: true, fields: { amount: 'hidden', stage: 'read_only' } } } });
    const reader = uniqueName('reader');
    await engine.roles.create(systemActor, { name: reader, label: 'Reader', objects: { [deal]: { read: true } } });
    const clerk = await engine.users.create(systemActor, { name: 'Clerk', email: `${uniqueName('clerk')}@example.com`, roles: [role] });
    const onlyReads = await engine.users.create(systemActor, { name: 'Reader', email: `${uniqueName('reader')}@example.com`, roles: [reader] });
    const as = async (userId: string, body: string) => {
      const { token } = await engine.auth.createToken(userActor(userId), { name: 't' });
      const response = await fetch(`${server().base}/api/records/${deal}/import`, { method: 'POST', headers: { authorization: `Bearer ${token}`, 'content-type': 'text/csv' }, body });
      return { status: response.status, body: (await response.json()) as any }; // eslint-disable-line @typescript-eslint/no-explicit-any
    };
    expect((await as(onlyReads.id, 'title\nA\n')).status).toBe(403);
    // A hidden field is unknown to the clerk, even by its label; a read-only one refuses the row.
    const hidden = await as(clerk.id, 'title,Amount\nA,1\n');
    expect(hidden.status).toBe(400);
    expect(hidden.body.error.fields[0].path).toBe('columns/Amount');
    const readOnly = await as(clerk.id, 'title,stage\nA,won\nB,\n');
    expect(readOnly.body.summary).toMatchObject({ created: 1, failed: 1 });
    expect(readOnly.body.results[0].error).toMatchObject({ code: 'field_forbidden' });
    const audit = await api('GET', `/api/audit?event=import&actor_id=${clerk.id}`);
    expect(audit.body.data.map((e: { details: unknown }) => e.details)).toContainEqual(expect.objectContaining({ format: 'csv', mode: 'create', created: 1, failed: 1, rows: 2 }));
  });
  it('reads related records, users and options by the names people write, and refuses a name that names nothing the importer sees, or several', async () => {
    const { api, engine } = server();
    const { deal } = await setup();
    const company = uniqueName('company');
    expect((await api('POST', '/api/meta/objects', { name: company, label: { en: 'Company', 'zh-CN': '公司' }, title_field: 'name', fields: [{ name: 'name', type: 'text', label: { en: 'Name', 'zh-CN': '名称' } }, { name: 'code', type: 'text', label: 'Code', unique: true }] })).status).toBe(201);
    expect((await api('POST', `/api/meta/objects/${deal}/fields`, { name: 'company', type: 'lookup', target: company, label: { en: 'Company', 'zh-CN': '公司' } })).status).toBe(201);
    expect((await api('PATCH', `/api/meta/objects/${deal}/fields/stage`, { options: [{ value: 'new', label: { en: 'New', 'zh-CN': '新建' } }, { value: 'won', label: { en: 'Won', 'zh-CN': '赢单' } }, { value: 'lost', label: 'lost' }] })).status).toBe(200);
    const role = uniqueName('seller');
    await engine.roles.create(systemActor, { name: role, label: 'Seller', objects: { [deal]: { create: true, read: true, edit: true, read_scope: 'own', edit_scope: 'own' }, [company]: { read: true, create: true, read_scope: 'own' } } });
    const seller = await engine.users.create(systemActor, { name: '周敏', email: `${uniqueName('zhou')}@Example.com`, roles: [role] });
    const other = await engine.users.create(systemActor, { name: 'Twin Person', email: `${uniqueName('twin')}@example.com`, roles: [role] });
    await engine.users.create(systemActor, { name: 'Twin Person', email: `${uniqueName('twin')}@example.com`, roles: [role] });
    const mine = async (name: string, owner = seller.id, code?: string) => (await engine.records.create(systemActor, company, { name, owner_id: owner, ...(code ? { code } : {}) })).id as string;
    const huaxin = await mine('华信精密', seller.id, 'HX-001');
    await mine('Twin Co');
    await mine('Twin Co');
    await mine('Hidden Co', other.id);

    const { token } = await engine.auth.createToken(userActor(seller.id), { name: 't' });
    const csv = [
      '标题,公司,负责人,stage,tags,hot',
      `Named,华信精密,${seller.email!.toUpperCase()},赢单,a,是`,
      `By id,${huaxin},周敏,NEW,,否`,
      'Twice,Twin Co,,new,,',
      'Unseen,Hidden Co,,new,,',
      'Nobody,华信精密,Twin Person,new,,',
      'Bad option,华信精密,,maybe,,',
      // By a unique field of the company (its code), not its title.
      'By code,HX-001,,new,,',
    ].join('\n');
    const response = await fetch(`${server().base}/api/records/${deal}/import`, { method: 'POST', headers: { authorization: `Bearer ${token}`, 'content-type': 'text/csv', 'accept-language': 'zh-CN' }, body: csv });
    const result = (await response.json()) as any; // eslint-disable-line @typescript-eslint/no-explicit-any
    expect(response.status).toBe(200);
    expect(result.summary).toEqual({ created: 3, updated: 0, failed: 4, rows: 7 });
    const failed = Object.fromEntries(result.results.filter((r: { status: string }) => r.status === 'failed').map((r: { line: number; error: { code: string; fields: { path: string; message: string }[] } }) => [r.line, r.error]));
    expect(failed[4]).toMatchObject({ code: 'validation_failed', fields: [{ path: 'company' }] });
    expect(failed[4].fields[0].message).toContain('有 2 条记录名为「Twin Co」');
    // A record the seller may not read is not there for them: its name does not leak as "ambiguous" or found.
    expect(failed[5].fields[0].message).toContain('找不到您可见的名为「Hidden Co」的记录');
    expect(failed[6].fields.map((f: { path: string }) => f.path)).toEqual(['owner_id']);
    expect(failed[7]).toMatchObject({ code: 'validation_failed', fields: [{ path: 'stage' }] });

    const stored = (await api('GET', `/api/records/${deal}?sort=title`)).body.data;
    expect(stored.map((r: Record<string, unknown>) => [r.title, r.company, r.owner_id, r.stage, r.hot])).toEqual([
      ['By code', huaxin, seller.id, 'new', null],
      ['By id', huaxin, seller.id, 'new', false],
      ['Named', huaxin, seller.id, 'won', true],
    ]);

    // all_or_nothing counts a row refused for a name like any failed row.
    const atomic = await fetch(`${server().base}/api/records/${deal}/import?all_or_nothing=true`, { method: 'POST', headers: { authorization: `Bearer ${token}`, 'content-type': 'text/csv' }, body: '标题,公司\nFine,华信精密\nMissing,Nowhere Ltd\n' });
    const atomicResult = (await atomic.json()) as any; // eslint-disable-line @typescript-eslint/no-explicit-any
    expect(atomicResult.committed).toBe(false);
    expect(atomicResult.results.map((r: { status: string }) => r.status)).toEqual(['rolled_back', 'failed']);
    expect(atomicResult.results[1].error.fields[0].message).toContain('Nowhere Ltd');
    expect((await api('GET', `/api/records/${deal}?count=true`)).body.total).toBe(3);
  });
  it('exports a CSV for people (labels, titles, names, 是/否, a byte-order mark) that imports back to the same records', async () => {
    const { api, engine } = server();
    const { deal } = await setup();
    const company = uniqueName('company');
    expect((await api('POST', '/api/meta/objects', { name: company, label: 'Company', title_field: 'name', fields: [{ name: 'name', type: 'text', label: 'Name' }] })).status).toBe(201);
    expect((await api('POST', `/api/meta/objects/${deal}/fields`, { name: 'company', type: 'lookup', target: company, label: { en: 'Company', 'zh-CN': '公司' } })).status).toBe(201);
    expect((await api('PATCH', `/api/meta/objects/${deal}/fields/stage`, { options: [{ value: 'new', label: { en: 'New', 'zh-CN': '新建' } }, { value: 'won', label: { en: 'Won', 'zh-CN': '赢单' } }, { value: 'lost', label: 'lost' }] })).status).toBe(200);
    const huaxin = (await api('POST', `/api/records/${company}`, { name: '华信精密' })).body.id;
    const owner = await engine.users.create(systemActor, { name: '周敏', email: `${uniqueName('zhou')}@example.com` });
    // Two people share the name: the export writes each user with their e-mail, which names one.
    await engine.users.create(systemActor, { name: '周敏', email: `${uniqueName('zhou')}@example.com` });
    const made = await api('POST', `/api/records/${deal}/bulk`, {
      operation: 'create',
      records: [
        { title: 'Alpha, "the big one"', amount: '1200.50', stage: 'won', tags: ['a', 'c'], hot: true, company: huaxin, owner_id: owner.id },
        { title: 'Beta', stage: 'new', hot: false, owner_id: owner.id },
      ],
    });
    expect(made.body.summary.created).toBe(2);
    const fields = 'title,amount,stage,tags,hot,company,owner_id';
    const { base, token } = server();
    const exported = await fetch(`${base}/api/records/${deal}/export?labels=zh-CN&sort=title&fields=${fields}`, { headers: { authorization: `Bearer ${token}` } });
    expect(exported.status).toBe(200);
    const text = new TextDecoder('utf-8', { ignoreBOM: true }).decode(await exported.arrayBuffer());
    expect(text.startsWith('\ufeff')).toBe(true);
    const lines = text.slice(1).trim().split('\n');
    expect(lines).toEqual(['负责人,标题,金额,Stage,Tags,Hot,公司', `周敏 <${owner.email}>,"Alpha, ""the big one""",1200.50,赢单,a;c,是,华信精密`, `周敏 <${owner.email}>,Beta,,新建,,否,`]);
    // Only CSV is for people; an unknown language is refused.
    expect((await api('GET', `/api/records/${deal}/export?labels=fr`)).status).toBe(400);
    expect((await api('GET', `/api/records/${deal}/export?labels=en&format=ndjson`)).body.error.fields[0].path).toBe('labels');

    // Back in: the same file, as new records.
    const again = await importFile(`/api/records/${deal}/import`, text);
    expect(again.body.summary, JSON.stringify(again.body.results)).toEqual({ created: 2, updated: 0, failed: 0, rows: 2 });
    const all = (await api('GET', `/api/records/${deal}?sort=title,created_at&fields=${fields}`)).body.data.map(({ id: _id, ...values }: Record<string, unknown>) => values);
    expect(all).toHaveLength(4);
    expect(all[1]).toEqual(all[0]);
    expect(all[3]).toEqual(all[2]);
    expect(all[0]).toMatchObject({ title: 'Alpha, "the big one"', amount: '1200.50', stage: 'won', tags: ['a', 'c'], hot: true, company: huaxin, owner_id: owner.id });
  });
});
