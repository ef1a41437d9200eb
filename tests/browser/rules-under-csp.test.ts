import { existsSync, readFileSync } from 'node:fs';
import type { AddressInfo } from 'node:net';
import { fileURLToPath } from 'node:url';
import { createEngine, isCrmError, systemActor, userActor, type Engine } from '@crm/engine';
import { compileRule, truthy } from '@crm/engine/rules';
import { createTestDatabase, type TestDatabase } from '@crm/engine/testing';
import { buildApp } from '@crm/server';
import { build } from 'esbuild';
import type { FastifyInstance } from 'fastify';
import { chromium, type Browser, type BrowserContext } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { compileSchema } from '../../engine/src/metadata/ajv';
import type { JsonSchema } from '../../engine/src/metadata/json-schema';
import { generateStandaloneModule } from '../../engine/src/client/standalone-module';
import { CONFORMANCE_FOLDER, loadConformanceSuites, type ConformanceCase } from '../../engine/src/rules/test-support/conformance-cases';
import { LOWER_CASES } from '../../engine/src/rules/test-support/lower-reference';
import { outcomeText, valueText } from './page/outcome-text';

/**
 * Rules and validators in a real browser under `Content-Security-Policy: script-src 'self'`: the
 * pages load one esbuild bundle (page/csp-page.ts with the engine's module compilers and closure
 * evaluator) and a generated standalone module with import(), never eval. Chromium is Debian's
 * (/usr/bin/chromium; .ci/run installs it), driven by playwright-core, launched once for the file.
 * The pages are served by the real app (buildApp) with a few test routes beside its API, so the
 * second check imports the module from GET /api/meta/client/modules/<revision>.js as a signed-in
 * user's page would.
 */

const CHROMIUM = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';
const POLICY = "script-src 'self'";
const PASSWORD = 'csp-test-password-1';
const suites = loadConformanceSuites();

const SCHEMAS: JsonSchema[] = [
  {
    type: 'object',
    properties: {
      name: { anyOf: [{ type: 'null' }, { type: 'string', maxLength: 5, pattern: '^[A-Z]' }] },
      email: { type: 'string', format: 'email' },
      site: { type: 'string', format: 'uri' },
      day: { type: 'string', format: 'date' },
      at: { type: 'string', format: 'date-time' },
      tags: { type: 'array', items: { type: 'string', minLength: 1 }, maxItems: 2, uniqueItems: true },
      shape: { enum: [{ kind: 'a' }, 2] },
      computed: { not: {} },
    },
  },
  { type: 'integer', minimum: 0 },
];
const SCHEMA_INPUTS: unknown[] = [
  {},
  { name: 'Ab', email: 'a@b.co', site: 'https://x.test/p', day: '2024-02-29', at: '2024-01-01T10:00:00Z', tags: ['a'], shape: { kind: 'a' } },
  { name: 'A😀😀😀😀😀', email: 'no', site: 'not a uri', day: '2023-02-29', at: 'yesterday', tags: ['a', 'a', ''], shape: { kind: 'b' }, computed: 1 },
  { name: '😀😀😀😀😀' },
  7,
  -1,
  'text',
];

interface Report {
  readonly evalBlocked: string;
  readonly failed?: string;
  readonly results?: unknown;
  readonly validators?: { valid: boolean; errors: unknown }[][];
  readonly milliseconds?: number;
}

let database: TestDatabase;
let engine: Engine;
let app: FastifyInstance;
let base: string;
let browser: Browser;
let adminEmail: string;
let workspaceSpec: unknown = {};
let formSpec: unknown = {};
const timings: Record<string, number> = {};

async function timed<T>(label: string, run: () => Promise<T>): Promise<T> {
  const started = performance.now();
  try {
    return await run();
  } finally {
    timings[label] = Math.round(performance.now() - started);
  }
}

/** A browser bundle of one entry, as a UI build would make it. */
async function bundle(entry: URL): Promise<string> {
  const result = await build({ entryPoints: [fileURLToPath(entry)], bundle: true, format: 'esm', platform: 'browser', target: 'es2022', write: false, logLevel: 'silent' });
  return result.outputFiles[0]!.text;
}

/** The page script: page/csp-page.ts and the engine code it imports. */
const pageBundle = () => bundle(new URL('./page/csp-page.ts', import.meta.url));
/** The module compilers alone: nothing in them may evaluate strings. */
const runtimeBundle = () => bundle(new URL('../../engine/src/core/module-compilers.ts', import.meta.url));

function conformanceModule(): string {
  const rules = [...suites.reference, ...suites.compatible, ...LOWER_CASES].flatMap(({ rule }) => [
    { rule, mode: 'value' as const },
    { rule, mode: 'boolean' as const },
  ]);
  return generateStandaloneModule({ rules, schemas: SCHEMAS, title: 'JSON-Logic conformance suites' });
}

function html(check: string): string {
  return `<!doctype html><html><head><meta charset="utf-8"><title>rules under CSP</title></head><body data-check="${check}"><pre id="results"></pre><script type="module" src="/csp/page.js"></script></body></html>`;
}

beforeAll(async () => {
  const [page, module] = await timed('bundle and generate', async () => Promise.all([pageBundle(), Promise.resolve(conformanceModule())]));
  database = await createTestDatabase();
  engine = await createEngine(database.options);
  app = await buildApp(engine, { auth: { secureCookies: false } });
  await app.register(async (pages) => {
    pages.get<{ Params: { check: string } }>('/csp/:check.html', async (request, reply) => {
      // The control page has no policy: there the same probe may evaluate.
      if (request.params.check !== 'control') reply.header('content-security-policy', POLICY);
      return reply.type('text/html; charset=utf-8').send(html(request.params.check));
    });
    pages.get('/csp/page.js', async (_, reply) => reply.type('text/javascript; charset=utf-8').send(page));
    pages.get('/csp/conformance-module.js', async (_, reply) => reply.type('text/javascript; charset=utf-8').send(module));
    pages.get<{ Params: { file: string } }>('/csp/suites/:file', async (request, reply) => {
      if (!['tests.json', 'compatible.json'].includes(request.params.file)) return reply.code(404).send();
      return reply.type('application/json').send(readFileSync(`${CONFORMANCE_FOLDER}${request.params.file}`, 'utf8'));
    });
    pages.get('/csp/lower.json', async () => LOWER_CASES.map(({ rule, data }) => ({ rule, data })));
    pages.get('/csp/schemas.json', async () => ({ schemas: SCHEMAS, inputs: SCHEMA_INPUTS }));
    pages.get('/csp/workspace.json', async () => workspaceSpec);
    pages.get('/csp/form.json', async () => formSpec);
  });
  await app.listen({ port: 0, host: '127.0.0.1' });
  base = `http://127.0.0.1:${(app.server.address() as AddressInfo).port}`;
  adminEmail = `csp-admin-${Math.random().toString(36).slice(2)}@example.com`;
  const admin = await engine.users.create(systemActor, { name: 'CSP admin', email: adminEmail, roles: ['administrator'] });
  await engine.auth.setPassword(systemActor, admin.id, PASSWORD);
  browser = await timed('launch chromium', () =>
    chromium.launch({ executablePath: CHROMIUM, args: ['--no-sandbox', '--disable-gpu', '--disable-background-networking'] }),
  );
}, 120_000);

afterAll(async () => {
  await browser?.close();
  await app?.close();
  await engine?.close();
  await database?.drop();
  console.info(`rules under CSP in Chromium, milliseconds: ${JSON.stringify(timings)}`);
});

/** Opens a page under the policy and returns what its script reported. */
async function runPage(context: BrowserContext, check: string): Promise<Report> {
  const page = await context.newPage();
  const errors: string[] = [];
  page.on('pageerror', (error) => errors.push(error.message));
  try {
    const response = await page.goto(`${base}/csp/${check}.html`);
    expect(response?.headers()['content-security-policy']).toBe(check === 'control' ? undefined : POLICY);
    await page.locator('#results[data-done]').waitFor({ timeout: 60_000 });
    expect(errors).toEqual([]);
    return JSON.parse((await page.locator('#results').textContent()) ?? '{}') as Report;
  } finally {
    await page.close();
  }
}

describe('the browser runtime', () => {
  it('evaluates no strings: the module compilers bundle holds no eval and no new Function', async () => {
    const bundle = await runtimeBundle();
    expect(bundle).toContain('moduleCompilers');
    expect(bundle).not.toMatch(/new Function|\beval\(|Function\(/);
  });
});

describe.skipIf(!suites.present)('JSON-Logic conformance in Chromium under script-src self', () => {
  it('passes every case of both suites and of the lower operation from a generated module and through the closure evaluator, with eval refused', async () => {
    expect(existsSync(CHROMIUM), `${CHROMIUM} is missing: apt-get install chromium`).toBe(true);
    const context = await browser.newContext();
    const report = await timed('conformance page', () => runPage(context, 'conformance'));
    const control = await runPage(context, 'control');
    await context.close();
    expect(report.failed).toBeUndefined();
    expect(report.evalBlocked).toBe('EvalError');
    expect(control).toEqual({ evalBlocked: 'allowed' });
    timings['conformance cases in the page'] = Math.round(report.milliseconds ?? -1);

    const results = report.results as Record<string, { module: string; condition: string; closures: string }[]>;
    const expectSuite = (name: 'reference' | 'compatible' | 'lower', cases: readonly ConformanceCase[]) => {
      const got = results[name]!;
      expect(got).toHaveLength(cases.length);
      const wrong: string[] = [];
      cases.forEach(({ name: caseName, rule, data, expected }, i) => {
        const want = `ok ${valueText(expected)}`;
        // The server's compiler, which rules/conformance.test.ts holds to json-logic-js.
        const server = outcomeText(() => compileRule(rule)(data));
        const { module, condition, closures } = got[i]!;
        if (module !== want || module !== server) wrong.push(`${caseName}: module gave ${module}, expected ${want}, server ${server}`);
        if (condition !== `ok ${truthy(expected)}`) wrong.push(`${caseName}: condition gave ${condition}`);
        if (closures !== server) wrong.push(`${caseName}: closures gave ${closures}, server ${server}`);
      });
      expect(wrong).toEqual([]);
    };
    expectSuite('reference', suites.reference);
    expectSuite('compatible', suites.compatible);
    // The one operation the project adds (rules/README.md), held to its own cases the same three ways.
    expectSuite('lower', LOWER_CASES);
    expect(results.reference).toHaveLength(277);
    expect(results.compatible).toHaveLength(278);

    // Validators: the server's AJV answers, errors included (formats and ucs2length from the bundle).
    const validators = report.validators!;
    SCHEMAS.forEach((schema, s) => {
      const server = compileSchema(schema);
      SCHEMA_INPUTS.forEach((input, i) => {
        const valid = server(input);
        expect(validators[s]![i], `schema ${s} on ${JSON.stringify(input)}`).toEqual({ valid, errors: JSON.parse(JSON.stringify(server.errors ?? null)) });
      });
    });
    expect(validators.flat().some((v) => !v.valid) && validators.flat().some((v) => v.valid)).toBe(true);
  }, 120_000);
});

describe('a workspace through the real server in Chromium under script-src self', () => {
  it('evaluates formulas, a default and a validation rule from the revision module as the server does', async () => {
    const object = `csp_order_${Math.random().toString(36).slice(2, 7)}`;
    const total = { '*': [{ var: 'qty' }, { var: 'unit' }] };
    const label = { cat: [{ var: 'status' }, ' x', { var: 'qty' }, { if: [{ '>': [{ var: 'unit' }, 5] }, ' (big)', ''] }] };
    const qtyDefault = { '+': [2, 3] };
    const condition = { or: [{ '!=': [{ var: 'status' }, 'closed'] }, { '!!': [{ var: 'reason' }] }] };
    await engine.objects.create(systemActor, {
      name: object,
      label: 'Order',
      fields: [
        { name: 'qty', type: 'integer', label: 'Qty', default: qtyDefault },
        { name: 'unit', type: 'integer', label: 'Unit' },
        { name: 'status', type: 'select', label: 'Status', options: ['open', 'closed'].map((value) => ({ value, label: value })) },
        { name: 'reason', type: 'text', label: 'Reason' },
        { name: 'total', type: 'formula', label: 'Total', result_type: 'number', expression: total },
        { name: 'label', type: 'formula', label: 'Label', result_type: 'text', expression: label },
      ],
    } as never);
    await engine.validationRules.create(systemActor, object, { name: 'closed_needs_reason', condition, message: { en: 'Why?', 'zh-CN': '为什么？' } });

    // The server's answers: created records with their formulas, or the rule's refusal.
    const admin = await engine.auth.signIn(adminEmail, PASSWORD);
    const actor = userActor(admin.user.id);
    const inputs = [
      { qty: 3, unit: 4, status: 'open' },
      { qty: 2, unit: 7, status: 'closed', reason: 'delivered' },
      { qty: 5, unit: 1, status: 'closed' },
      { qty: -1, unit: 10, status: 'open', reason: 'x' },
      { unit: 6, status: 'open' },
      { qty: 4, unit: 2, status: 'closed', reason: '' },
    ];
    const empty = { qty: null, unit: null, status: null, reason: null };
    const server: { data: Record<string, unknown>; total: unknown; label: unknown; holds: boolean }[] = [];
    for (const input of inputs) {
      try {
        const record = await engine.records.create(actor, object, input);
        server.push({ data: { ...record }, total: record.total, label: record.label, holds: true });
      } catch (error) {
        if (!isCrmError(error) || !JSON.stringify(error.fields).includes('closed_needs_reason')) throw error;
        const data = { ...empty, ...input };
        server.push({ data, total: compileRule(total)(data), label: compileRule(label)(data), holds: false });
      }
    }
    expect(server.map((s) => s.holds)).toEqual([true, true, false, true, true, false]);
    expect(server[4]!.data.qty).toBe(5);

    const revision = (await engine.metadata(systemActor)).revision;
    workspaceSpec = {
      moduleUrl: `/api/meta/client/modules/${revision}.js`,
      rules: [
        { name: 'total', rule: total, mode: 'value' },
        { name: 'label', rule: label, mode: 'value' },
        { name: 'qty_default', rule: qtyDefault, mode: 'value' },
        { name: 'closed_needs_reason', rule: condition, mode: 'boolean' },
      ],
      inputs: server.map((s) => s.data),
    };

    // Signed in by the session cookie, as the UI is: the module route needs it.
    const context = await browser.newContext();
    await context.addCookies([{ name: 'crm_session', value: admin.token, url: base }]);
    const report = await timed('workspace page', () => runPage(context, 'workspace'));
    await context.close();
    expect(report.failed).toBeUndefined();
    expect(report.evalBlocked).toBe('EvalError');
    const results = report.results as Record<string, string>[];
    results.forEach((result, i) => {
      expect(result, JSON.stringify(inputs[i])).toEqual({
        total: `ok ${valueText(server[i]!.total)}`,
        label: `ok ${valueText(server[i]!.label)}`,
        qty_default: 'ok 5',
        closed_needs_reason: `ok ${server[i]!.holds}`,
      });
    });

    // Without the session the page cannot load the module (the route answers 401).
    const anonymous = await browser.newContext();
    const refused = await runPage(anonymous, 'workspace');
    await anonymous.close();
    expect(refused.failed).toMatch(/module|import/i);
  }, 120_000);
});

describe('a form checked in Chromium as the API checks it', () => {
  it('compiles the projected object with the revision module and gives the same issues, in both languages, as the API', async () => {
    const object = `csp_deal_${Math.random().toString(36).slice(2, 7)}`;
    await engine.objects.create(systemActor, {
      name: object,
      label: { en: 'Deal', 'zh-CN': '交易' },
      fields: [
        { name: 'title', type: 'text', label: { en: 'Title', 'zh-CN': '标题' }, required: true, max_length: 10 },
        { name: 'amount', type: 'decimal', label: { en: 'Amount', 'zh-CN': '金额' }, precision: 12, scale: 2 },
        { name: 'stage', type: 'select', label: { en: 'Stage', 'zh-CN': '阶段' }, options: ['new', 'won', 'lost'].map((value) => ({ value, label: value })) },
        { name: 'loss_reason', type: 'text', label: { en: 'Loss reason', 'zh-CN': '输单原因' } },
        { name: 'close_date', type: 'date', label: { en: 'Close date', 'zh-CN': '结束日期' } },
        { name: 'weighted', type: 'formula', label: 'Weighted', result_type: 'number', expression: { '*': [{ var: 'amount' }, 0.5] } },
      ],
    } as never);
    await engine.validationRules.create(systemActor, object, {
      name: 'lost_needs_reason',
      condition: { or: [{ '!=': [{ var: 'stage' }, 'lost'] }, { '!!': [{ var: 'loss_reason' }] }] },
      message: { en: 'A lost deal needs its reason', 'zh-CN': '输单须填写原因' },
      fields: ['loss_reason'],
    });
    const inputs = [
      { title: 'Fine', amount: '12.50', stage: 'new' },
      { amount: 'lots', stage: 'maybe', close_date: '2024-02-30' },
      { title: 'Far too long a title', amount: 1.234 },
      { title: 'Lost', stage: 'lost' },
      { title: 'Lost', stage: 'lost', loss_reason: 'price', close_date: '2024-02-29' },
      { title: 'Odd', colour: 'red', weighted: 3 },
      { title: null, amount: null },
      { title: 42, stage: ['won'] },
    ];
    const admin = await engine.auth.signIn(adminEmail, PASSWORD);
    const actor = userActor(admin.user.id);
    // The API's answers (a create that succeeds is purged again: the form check never writes).
    const api: unknown[] = [];
    for (const input of inputs) {
      try {
        const record = await engine.records.create(actor, object, input);
        api.push({ ok: true, total: 1 });
        await engine.records.delete(actor, object, String(record.id));
      } catch (error) {
        if (!isCrmError(error)) throw error;
        api.push({ ok: false, status: error.status, en: error.toBody('en'), zh: error.toBody('zh-CN') });
      }
    }
    expect(api.filter((a) => (a as { ok: boolean }).ok)).toHaveLength(2);
    formSpec = { object, inputs };

    const context = await browser.newContext();
    await context.addCookies([{ name: 'crm_session', value: admin.token, url: base }]);
    const report = await timed('form page', () => runPage(context, 'form'));
    await context.close();
    expect(report.failed).toBeUndefined();
    expect(report.evalBlocked).toBe('EvalError');
    expect(report.results).toEqual(api);
  }, 120_000);
});
