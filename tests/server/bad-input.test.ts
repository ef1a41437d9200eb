import { connect } from 'node:net';
import { DOCUMENT_LIMITS, errorCatalogue, fieldIssueCatalogue, JSON_VALUE_LIMITS, REQUEST_LIMITS, RULE_LIMITS, systemActor, type ErrorCode } from '@crm/engine';
import { describe, expect, it } from 'vitest';
import { uniqueName, useTestServer } from '../support/test-server';

const BODY_LIMIT = 256 * 1024;
const server = useTestServer({ app: { bodyLimit: BODY_LIMIT, auth: { secureCookies: false } } });
const ZH = { 'accept-language': 'zh-CN' };
const CJK = /[\u4e00-\u9fff]/;

interface Issue {
  readonly path: string;
  readonly code: string;
}

/**
 * The one error shape, nothing more: a catalogue code with its status, a message in Chinese (every
 * refusal below is asked for with Accept-Language: zh-CN), and field issues with catalogue codes.
 */
function expectRefusal(response: { status: number; body: unknown }, code: ErrorCode, issues?: readonly Issue[]): { message: string; fields: (Issue & { message: string })[] } {
  expect(response.status, JSON.stringify(response.body)).toBe(errorCatalogue[code].status);
  const body = response.body as { error: { code: string; message: string; fields: (Issue & { message: string })[] } };
  expect(Object.keys(body)).toEqual(['error']);
  expect(Object.keys(body.error).sort()).toEqual(['code', 'fields', 'message']);
  expect(body.error.code).toBe(code);
  expect(body.error.message).toMatch(CJK);
  for (const field of body.error.fields) {
    expect(Object.keys(field).sort()).toEqual(['code', 'message', 'path']);
    expect(Object.keys(fieldIssueCatalogue)).toContain(field.code);
  }
  if (issues) expect(body.error.fields.map(({ path, code: issueCode }) => ({ path, code: issueCode }))).toEqual(issues);
  return body.error;
}

/** A request written byte for byte (what fetch would refuse to send), answered on a closed connection. */
async function rawHttp(request: string): Promise<{ status: number; headers: string; body: unknown }> {
  const { base } = server();
  const url = new URL(base);
  const response = await new Promise<Buffer>((resolve, reject) => {
    const chunks: Buffer[] = [];
    const socket = connect(Number(url.port), url.hostname, () => socket.end(request, 'latin1'));
    socket.on('data', (chunk: Buffer) => chunks.push(chunk));
    socket.on('close', () => resolve(Buffer.concat(chunks)));
    socket.on('error', reject);
  });
  const text = response.toString('utf8');
  const split = text.indexOf('\r\n\r\n');
  return { status: Number(text.slice(9, 12)), headers: text.slice(0, split), body: JSON.parse(text.slice(split + 4)) };
}

async function setup(): Promise<{ deal: string; task: string }> {
  const { api } = server();
  const deal = uniqueName('deal');
  const task = uniqueName('task');
  const fields = [
    { name: 'title', type: 'text', label: 'Title', searchable: true },
    { name: 'amount', type: 'currency', label: 'Amount' },
    { name: 'hours', type: 'integer', label: 'Hours' },
    { name: 'due', type: 'date', label: 'Due' },
    { name: 'closed_at', type: 'datetime', label: 'Closed at' },
    { name: 'doc', type: 'json', label: 'Doc' },
  ];
  expect((await api('POST', '/api/meta/objects', { name: deal, label: 'Deal', title_field: 'title', fields })).status).toBe(201);
  expect((await api('POST', '/api/meta/objects', { name: task, label: 'Task', fields: [{ name: 'deal', type: 'lookup', label: 'Deal', target: deal }] })).status).toBe(201);
  for (let i = 0; i < 4; i++) {
    const record = { title: `华信 ${i}`, amount: `${i}00.50`, hours: i, due: i % 2 ? null : `2026-0${i + 1}-15`, closed_at: `2026-01-0${i + 1}T08:00:00.000Z` };
    expect((await api('POST', `/api/records/${deal}`, record)).status).toBe(201);
  }
  return { deal, task };
}

/** What a refused request must leave as it was: the metadata revision and the number of records. */
async function snapshot(object: string): Promise<{ revision: number; records: number }> {
  const { engine } = server();
  const revision = (await engine.metadata(systemActor)).revision;
  return { revision, records: (await engine.records.list(systemActor, object, { count: true, limit: 1 })).total! };
}

async function expectNothingWritten(object: string, attempts: () => Promise<void>): Promise<void> {
  const before = await snapshot(object);
  await attempts();
  expect(await snapshot(object)).toEqual(before);
}

/** `{"and":[{"and":[ ... ]},true]}` as text: JSON.stringify itself overflows on values this deep. */
function deepRuleText(depth: number): string {
  const levels = Math.floor(depth / 2);
  return `${'{"and":['.repeat(levels)}true${',true]}'.repeat(levels)}`;
}

function deepArrayText(depth: number): string {
  return `${'['.repeat(depth)}${']'.repeat(depth)}`;
}

describe('U+0000 anywhere in a request is a 400 naming where it is', () => {
  it('refuses it in body values and keys, metadata and query parameters, writing nothing', async () => {
    const { api } = server();
    const { deal } = await setup();
    await expectNothingWritten(deal, async () => {
      expectRefusal(await api('POST', `/api/records/${deal}`, { title: 'a\u0000b' }, ZH), 'validation_failed', [{ path: 'title', code: 'nul_character' }]);
      expectRefusal(await api('POST', `/api/records/${deal}`, { doc: { list: ['ok', { 'k\u0000': 1 }] } }, ZH), 'validation_failed', [{ path: 'doc/list/1/k\u0000', code: 'nul_character' }]);
      const bulk = { operation: 'create', records: [{ title: 'fine' }, { title: 'x\u0000' }] };
      expectRefusal(await api('POST', `/api/records/${deal}/bulk`, bulk, ZH), 'validation_failed', [{ path: 'records/1/title', code: 'nul_character' }]);
      const label = { name: uniqueName('obj'), label: { en: 'Fine', 'zh-CN': '客户\u0000' } };
      expectRefusal(await api('POST', '/api/meta/objects', label, ZH), 'validation_failed', [{ path: 'label/zh-CN', code: 'nul_character' }]);
      const rule = { name: 'nul_rule', condition: { '!=': [{ var: 'title' }, '\u0000'] }, message: 'm' };
      expectRefusal(await api('POST', `/api/meta/objects/${deal}/validation-rules`, rule, ZH), 'validation_failed', [{ path: 'condition/!=/1', code: 'nul_character' }]);
    });

    const refused = expectRefusal(await api('GET', `/api/records/${deal}?q=a%00b`, undefined, ZH), 'validation_failed', [{ path: 'q', code: 'nul_character' }]);
    expect(refused.fields[0]!.message).toBe(fieldIssueCatalogue.nul_character['zh-CN']);
    expectRefusal(await api('GET', `/api/records/${deal}?fields=title%00`, undefined, ZH), 'validation_failed', [{ path: 'fields', code: 'nul_character' }]);
    // Escaped inside the filter's JSON it passes the query check; the engine refuses it by its place in the rule.
    const filter = encodeURIComponent(JSON.stringify({ '==': [{ var: 'title' }, 'a\u0000'] }));
    expectRefusal(await api('GET', `/api/records/${deal}?filter=${filter}`, undefined, ZH), 'rule_invalid', [{ path: 'filter/==/1', code: 'nul_character' }]);
  });

  it('refuses it in headers: raw NUL bytes at the parser, anything that gets past it by name', async () => {
    const { app, token } = server();
    const { deal } = await setup();
    const raw = await rawHttp(`GET /api/records/${deal} HTTP/1.1\r\nHost: x\r\nAccept-Language: zh-CN\r\nX-Note: a\u0000b\r\n\r\n`);
    expectRefusal(raw, 'bad_request', []);
    expect(raw.headers).toMatch(/content-type: application\/json; charset=utf-8/i);
    // light-my-request builds the request without Node's parser, as a lenient proxy in front could.
    const injected = await app.inject({ method: 'GET', url: `/api/records/${deal}`, headers: { authorization: `Bearer ${token}`, 'x-note': 'a\u0000b', ...ZH } });
    expectRefusal({ status: injected.statusCode, body: injected.json() }, 'validation_failed', [{ path: 'x-note', code: 'nul_character' }]);
  });

  it('reports it per line in an import, where the file itself is not JSON', async () => {
    const { base, token } = server();
    const { deal } = await setup();
    await expectNothingWritten(deal, async () => {
      const response = await fetch(`${base}/api/records/${deal}/import?all_or_nothing=true`, {
        method: 'POST',
        headers: { authorization: `Bearer ${token}`, 'content-type': 'text/csv; charset=utf-8', ...ZH },
        body: 'title,hours\nfine,1\n"bad\u0000",2\n',
      });
      const result = (await response.json()) as { committed: boolean; results: { line: number; error?: { code: string; fields: Issue[] } }[] };
      expect(response.status).toBe(200);
      expect(result.committed).toBe(false);
      expect(result.results[1]).toMatchObject({ line: 3, error: { code: 'validation_failed', fields: [{ path: 'title', code: 'nul_character' }] } });
    });
  });
});

describe('a pagination cursor is untrusted input: anything but what the list issued is 400 cursor_invalid', () => {
  const encode = (payload: unknown) => Buffer.from(typeof payload === 'string' ? payload : JSON.stringify(payload)).toString('base64url');
  const decode = (cursor: string) => JSON.parse(Buffer.from(cursor, 'base64url').toString()) as { s: string; v: unknown[] };

  it('pages with the cursors it issued and refuses altered ones of every kind', async () => {
    const { api } = server();
    const { deal, task } = await setup();
    const sorts = ['due', '-closed_at', 'amount', 'hours', 'title', undefined];
    for (const sort of sorts) {
      const query = `limit=2${sort ? `&sort=${sort}` : ''}`;
      const first = await api('GET', `/api/records/${deal}?${query}`);
      const second = await api('GET', `/api/records/${deal}?${query}&cursor=${first.body.next_cursor}`);
      expect(second.status, `sort ${sort}`).toBe(200);
      expect(second.body.data.map((r: { id: string }) => r.id)).not.toContain(first.body.data[1].id);
    }

    const cursorOf = async (sort: string) => decode((await api('GET', `/api/records/${deal}?limit=1&sort=${sort}`)).body.next_cursor);
    const id = (await cursorOf('hours')).v[1];
    const tampered: [string, unknown][] = [
      ['due', { s: `${deal}:due,id`, v: ['not a date', id] }],
      ['due', { s: `${deal}:due,id`, v: ['2026-02-30', id] }],
      ['due', { s: `${deal}:due,id`, v: ['0000-01-01', id] }],
      ['-closed_at', { s: `${deal}:-closed_at,id`, v: [1e300, id] }],
      ['-closed_at', { s: `${deal}:-closed_at,id`, v: ['2026-01-01T08:00:00+99:00', id] }],
      ['amount', { s: `${deal}:amount,id`, v: ['12abc', id] }],
      ['amount', { s: `${deal}:amount,id`, v: ['1'.repeat(40), id] }],
      ['hours', { s: `${deal}:hours,id`, v: ['99999999999999999999', id] }],
      ['hours', { s: `${deal}:hours,id`, v: [1.5, id] }],
      ['title', { s: `${deal}:title,id`, v: ['a\u0000', id] }],
      ['title', { s: `${deal}:title,id`, v: [{ nested: true }, id] }],
      ['title', { s: `${deal}:title,id`, v: ['a', 'not-a-uuid'] }],
      ['title', { s: `${deal}:title,id`, v: ['a', `urn:uuid:${String(id)}`] }],
      ['title', { s: `${deal}:title,id`, v: ['a'] }],
      ['title', { s: `${deal}:title,id`, v: ['a', id], extra: 1 }],
      ['title', `{"s":"${deal}:title,id","v":["a","${String(id)}"],"__proto__":{"polluted":true}}`],
      ['title', { s: `${deal}:-title,id`, v: ['a', id] }],
      ['title', { s: `${task}:title,id`, v: ['a', id] }],
      ['title', { s: `${deal}:title,id`, v: 'a' }],
      ['title', ['a', id]],
      ['title', 'null'],
      ['title', 'not json at all'],
    ];
    for (const [sort, payload] of tampered) {
      const response = await api('GET', `/api/records/${deal}?limit=1&sort=${sort}&cursor=${encode(payload)}`, undefined, ZH);
      expectRefusal(response, 'cursor_invalid', []);
    }
    expect(Object.prototype).not.toHaveProperty('polluted');
    // A cursor of one object is refused by another, even with the same sort.
    const other = await setup();
    const foreign = (await api('GET', `/api/records/${other.deal}?limit=1`)).body.next_cursor;
    expectRefusal(await api('GET', `/api/records/${deal}?limit=1&cursor=${foreign}`, undefined, ZH), 'cursor_invalid', []);
  });

  it('does the same for the audit log', async () => {
    const { api } = server();
    await setup();
    const first = await api('GET', '/api/audit?limit=1');
    expect((await api('GET', `/api/audit?limit=1&cursor=${first.body.next_cursor}`)).status).toBe(200);
    for (const payload of ['12', { s: 'audit:-id', v: ['1e300'] }, { s: 'audit:-id', v: ['99999999999999999999'] }, { s: 'audit:-id', v: [1], x: 1 }, { s: 'other', v: [1] }]) {
      expectRefusal(await api('GET', `/api/audit?cursor=${encode(payload)}`, undefined, ZH), 'cursor_invalid', []);
    }
    expectRefusal(await api('GET', '/api/audit?from=1', undefined, ZH), 'validation_failed', [{ path: 'from', code: 'format' }]);
  });
});

describe('very deep JSON is refused with the limit named, before anything recurses', () => {
  it(`refuses a body nested deeper than ${REQUEST_LIMITS.maxDepth} levels, whatever the route`, async () => {
    const { api } = server();
    const { deal } = await setup();
    await expectNothingWritten(deal, async () => {
      for (const [path, body] of [
        [`/api/records/${deal}`, deepArrayText(100_000)],
        [`/api/records/${deal}`, `{"doc":${deepArrayText(10_000)}}`],
        [`/api/meta/objects/${deal}/validation-rules`, `{"name":"deep","message":"m","condition":${deepRuleText(10_000)}}`],
        ['/api/meta/objects', `{"name":"x","label":"X","description":${deepArrayText(10_000)}}`],
      ] as const) {
        const refused = expectRefusal(await api('POST', path, body, ZH), 'validation_failed');
        expect(refused.fields).toMatchObject([{ code: 'too_deep' }]);
        expect(refused.message).toContain(`嵌套超过 ${REQUEST_LIMITS.maxDepth} 层`);
      }
    });
  });

  it(`refuses a json field value deeper than ${JSON_VALUE_LIMITS.maxDepth} levels and stores one at the limit`, async () => {
    const { api } = server();
    const { deal } = await setup();
    await expectNothingWritten(deal, async () => {
      const refused = expectRefusal(await api('POST', `/api/records/${deal}`, `{"doc":${deepArrayText(100)}}`, ZH), 'validation_failed', [{ path: 'doc', code: 'too_deep' }]);
      expect(refused.message).toContain(`嵌套超过 ${JSON_VALUE_LIMITS.maxDepth} 层`);
    });
    const stored = await api('POST', `/api/records/${deal}`, `{"doc":${deepArrayText(JSON_VALUE_LIMITS.maxDepth)}}`);
    expect(stored.status).toBe(201);
    expect(JSON.stringify(stored.body.doc)).toBe(deepArrayText(JSON_VALUE_LIMITS.maxDepth));
  });

  it(`refuses every kind of rule nested deeper than the document limit (${DOCUMENT_LIMITS.maxDepth}), changing no metadata`, async () => {
    const { api } = server();
    const { deal, task } = await setup();
    const deep = deepRuleText(110);
    const documents: [string, string][] = [
      [`/api/meta/objects/${deal}/validation-rules`, `{"name":"r","message":"m","condition":${deep}}`],
      [`/api/meta/objects/${deal}/fields`, `{"name":"f","type":"formula","label":"F","result_type":"boolean","expression":${deep}}`],
      [`/api/meta/objects/${deal}/fields`, `{"name":"g","type":"boolean","label":"G","default":${deep}}`],
      [`/api/meta/objects/${deal}/fields`, `{"name":"h","type":"rollup","label":"H","child_object":"${task}","relationship_field":"deal","aggregate":"count","filter":${deep}}`],
      [`/api/meta/objects/${deal}/views`, `{"name":"v","type":"list","label":"V","columns":["title"],"filter":${deep}}`],
      [`/api/meta/objects/${deal}/layouts`, `{"name":"l","type":"form","sections":[{"columns":1,"fields":[{"field":"title"}],"visible_when":${deep}}]}`],
      [`/api/meta/objects/${deal}/workflows`, `{"name":"w","trigger":{"type":"record","events":["created"],"condition":${deep}},"actions":[{"type":"update_record","values":{"hours":1}}]}`],
      [`/api/meta/objects/${deal}/workflows`, `{"name":"w","trigger":{"type":"record","events":["created"]},"actions":[{"type":"update_record","values":{"hours":${deep}}}]}`],
      [`/api/meta/objects/${deal}/approval-processes`, `{"name":"p","label":"P","entry_criteria":${deep},"steps":[{"name":"s","approvers":[{"type":"manager"}],"mode":"any"}]}`],
    ];
    await expectNothingWritten(deal, async () => {
      for (const [path, body] of documents) {
        const refused = expectRefusal(await api('POST', path, body, ZH), 'metadata_invalid');
        expect(refused.fields, body.slice(0, 60)).toMatchObject([{ code: 'too_deep' }]);
        expect(refused.message).toContain(`嵌套超过 ${DOCUMENT_LIMITS.maxDepth} 层`);
      }
    });
  });

  it(`refuses a list filter nested deeper than ${RULE_LIMITS.maxDepth} levels`, async () => {
    const { api } = server();
    const { deal } = await setup();
    const refused = expectRefusal(await api('GET', `/api/records/${deal}?filter=${encodeURIComponent(deepRuleText(40))}`, undefined, ZH), 'rule_invalid');
    expect(refused.fields).toMatchObject([{ code: 'too_deep' }]);
    expect(refused.message).toContain(`嵌套超过 ${RULE_LIMITS.maxDepth} 层`);
  });
});

describe('every status >= 400 before a route runs is in the one shape, in the caller language', () => {
  const post = (path: string, body: string | Buffer, headers: Record<string, string>) =>
    fetch(`${server().base}${path}`, { method: 'POST', headers: { authorization: `Bearer ${server().token}`, ...ZH, ...headers }, body }).then(async (r) => ({ status: r.status, body: (await r.json()) as unknown }));

  it('answers what Node refuses to parse: 431 headers too large, a bad request line, an unencoded URL', async () => {
    const { deal } = await setup();
    const large = await rawHttp(`GET /api/records/${deal} HTTP/1.1\r\nHost: x\r\nAccept-Language: zh-CN\r\nX-Big: ${'a'.repeat(20_000)}\r\n\r\n`);
    expect(expectRefusal(large, 'request_header_too_large', []).message).toContain('16384');
    expectRefusal(await rawHttp('GARBAGE\r\nAccept-Language: zh-CN\r\n\r\n'), 'bad_request', []);
    // Node's parser refuses non-ASCII bytes in the request line: the caller learns to percent-encode.
    const unencoded = await rawHttp(`GET /api/records/${deal}?q=${Buffer.from('华信', 'utf8').toString('latin1')} HTTP/1.1\r\nHost: x\r\nAccept-Language: zh-CN\r\n\r\n`);
    expect(expectRefusal(unencoded, 'bad_request', []).message).toContain('百分号编码');
    const encoded = await server().api('GET', `/api/records/${deal}?q=${encodeURIComponent('华信 2')}`);
    expect(encoded.body.data.map((r: { title: string }) => r.title)).toEqual(['华信 2']);
  });

  it('answers what Fastify refuses: 413, 415, a charset other than UTF-8, bad JSON, a poisoned prototype, a bad URL, unknown routes', async () => {
    const { api } = server();
    const { deal } = await setup();
    await expectNothingWritten(deal, async () => {
      const large = expectRefusal(await post(`/api/records/${deal}`, JSON.stringify({ title: 'x'.repeat(BODY_LIMIT) }), { 'content-type': 'application/json' }), 'payload_too_large', []);
      expect(large.message).toContain(String(BODY_LIMIT));
      expectRefusal(await post(`/api/records/${deal}`, '<title/>', { 'content-type': 'application/xml' }), 'unsupported_media_type', []);
      expectRefusal(await post(`/api/records/${deal}`, 'title', { 'content-type': 'text/plain' }), 'unsupported_media_type', []);
      const utf16 = await post(`/api/records/${deal}`, Buffer.from('{"title":"华信"}', 'utf16le'), { 'content-type': 'application/json; charset=utf-16' });
      expect(expectRefusal(utf16, 'unsupported_media_type', []).message).toContain('UTF-8');
      const latin1 = await post(`/api/records/${deal}/import`, Buffer.from('title\nCaf\u00e9\n', 'latin1'), { 'content-type': 'text/csv; charset=ISO-8859-1' });
      expect(expectRefusal(latin1, 'unsupported_media_type', []).message).toContain('CSV');
      expectRefusal(await post(`/api/records/${deal}`, '{"title":', { 'content-type': 'application/json' }), 'validation_failed', [{ path: '', code: 'invalid' }]);
      expectRefusal(await post(`/api/records/${deal}`, '{"title":"x","__proto__":{"hours":1}}', { 'content-type': 'application/json' }), 'validation_failed', [{ path: '', code: 'invalid' }]);
    });
    expect((await post(`/api/records/${deal}`, '{"title":"华信 UTF-8"}', { 'content-type': 'application/json; charset="UTF-8"' })).status).toBe(201);

    expectRefusal(await api('GET', '/api/records/%E0%A4%A', undefined, ZH), 'bad_request', []);
    // A path segment of any length reaches its route, which judges it.
    expectRefusal(await api('GET', `/api/records/${deal}/${'a'.repeat(200)}`, undefined, ZH), 'record_not_found', []);
    expectRefusal(await api('GET', `/api/meta/objects/${'a'.repeat(500)}`, undefined, ZH), 'object_not_found', []);
    expect(expectRefusal(await api('GET', '/api/nothing/here', undefined, ZH), 'route_not_found', []).message).toBe('不存在 GET /api/nothing/here');
  });
});

describe('empty terms in list parameters are refused, naming the parameter', () => {
  it('refuses sort=,,, and its kin instead of quietly sorting by id', async () => {
    const { api } = server();
    const { deal } = await setup();
    for (const sort of [',,,', 'title,,hours', 'title,', '']) {
      expectRefusal(await api('GET', `/api/records/${deal}?sort=${sort}`, undefined, ZH), 'sort_invalid', [{ path: 'sort', code: 'invalid' }]);
      expectRefusal(await api('GET', `/api/records/${deal}/export?sort=${sort}`, undefined, ZH), 'sort_invalid', [{ path: 'sort', code: 'invalid' }]);
    }
    for (const [name, value] of [['fields', 'title,,hours'], ['fields', ''], ['expand', ',']] as const) {
      expectRefusal(await api('GET', `/api/records/${deal}?${name}=${value}`, undefined, ZH), 'validation_failed', [{ path: name, code: 'invalid' }]);
    }
    expect((await api('GET', `/api/records/${deal}?sort=-hours,%20title&fields=title,%20hours`)).status).toBe(200);
  });
});
