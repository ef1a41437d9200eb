import { build, type BuildFailure, type Message } from 'esbuild';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { builtinModules } from 'node:module';
import { tmpdir } from 'node:os';
import { dirname, join, relative, resolve } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { gzipSync } from 'node:zlib';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { systemActor, SYSTEM_USER_ID } from '../actors';
import { isCrmError } from '../errors';
import { createAjv } from '../metadata/ajv';
import { DIFFERENTIAL_DEAL_FIELDS as FIELDS, DIFFERENTIAL_DEAL_RULES as RULES, uniqueName, useTestEngine } from '../testing';
import type * as Core from './index';

const here = dirname(fileURLToPath(import.meta.url));
const engineRoot = resolve(here, '../..');
const repoRoot = resolve(engineRoot, '..');

/**
 * Gzip budget of the minified browser bundle of `@crm/engine/core`. Measured at 36.8 KB for the
 * input check alone (decimal.js is a third of it; the error catalogue, field types and rule
 * compiler the rest), then 49.3 KB with what loads a revision's generated module under
 * `script-src 'self'` (the closure evaluator and AJV's runtime pieces). 60 KB leaves room for the
 * catalogues and field types to grow by about a fifth, while AJV itself (~40 KB gzip more) or
 * any server module slipping in fails it.
 */
const GZIP_BUDGET_BYTES = 60_000;

/** What may never reach a browser bundle, by the path esbuild records for each input. */
const FORBIDDEN_INPUTS: readonly { readonly what: string; readonly test: (path: string) => boolean }[] = [
  { what: 'a Node built-in', test: (p) => p.startsWith('node:') || builtinModules.includes(p) },
  // Packages are found under node_modules/ (pnpm: node_modules/.pnpm/<id>/node_modules/<name>/).
  ...['pg', 'pg-boss', 'kysely', 'nodemailer', '@node-rs/argon2', '@electric-sql/pglite'].map((name) => ({
    what: name,
    test: (p: string) => p.includes(`node_modules/${name}/`),
  })),
  // Workspace packages resolve to their real folders.
  { what: '@crm/migrations', test: (p) => p.startsWith('migrations/') || p.includes('node_modules/@crm/migrations/') },
  { what: 'server code', test: (p) => p.startsWith('server/') },
  { what: 'the database layer', test: (p) => p.startsWith('engine/src/db/') },
  { what: 'the rules SQL translation', test: (p) => p.startsWith('engine/src/rules/sql/') },
];

interface BrowserBundle {
  /** Every input, relative to the repository root. */
  readonly inputs: readonly string[];
  /** What esbuild could not bundle for a browser (a Node built-in is unresolvable there). */
  readonly errors: readonly string[];
  readonly code: string;
  readonly gzipBytes: number;
}

async function bundleForBrowser(entry: string): Promise<BrowserBundle> {
  try {
    const result = await build({
      entryPoints: [entry],
      bundle: true,
      platform: 'browser',
      format: 'esm',
      metafile: true,
      minify: true,
      write: false,
      logLevel: 'silent',
      absWorkingDir: repoRoot,
    });
    const code = result.outputFiles[0]!.text;
    return {
      inputs: Object.keys(result.metafile.inputs).map((p) => relative(repoRoot, resolve(repoRoot, p)).replaceAll('\\', '/')),
      errors: [],
      code,
      gzipBytes: gzipSync(code).length,
    };
  } catch (error) {
    const messages = (error as BuildFailure).errors as Message[] | undefined;
    if (!messages) throw error;
    return { inputs: [], errors: messages.map((m) => `${m.text} (${m.location?.file ?? '?'})`), code: '', gzipBytes: 0 };
  }
}

function forbiddenInputs(bundle: BrowserBundle): string[] {
  return bundle.inputs.flatMap((input) => FORBIDDEN_INPUTS.filter((f) => f.test(input)).map((f) => `${input} (${f.what})`));
}

describe('@crm/engine/core in a browser bundle', () => {
  it('bundles for the browser with no Node built-in, database, migration or server module in it, within its size budget', async () => {
    const bundle = await bundleForBrowser(join(engineRoot, 'src/core/index.ts'));
    expect(bundle.errors).toEqual([]);
    expect(forbiddenInputs(bundle)).toEqual([]);
    expect(bundle.inputs).toContain('engine/src/core/check-record-input.ts');
    expect(bundle.gzipBytes).toBeGreaterThan(0);
    expect(bundle.gzipBytes, `gzip size ${bundle.gzipBytes} bytes`).toBeLessThanOrEqual(GZIP_BUDGET_BYTES);
  });

  it('catches what must not be there (the check itself is tested on server-side modules)', async () => {
    // The write pipeline's second half needs kysely and the database layer.
    const writes = await bundleForBrowser(join(engineRoot, 'src/records/write-create.ts'));
    expect([...writes.errors, ...forbiddenInputs(writes)].join('\n')).toMatch(/kysely|engine\/src\/db\/|node:|Could not resolve/);
    // The engine's root imports pg, argon2 and node:crypto: a browser bundle cannot even be built.
    const root = await bundleForBrowser(join(engineRoot, 'src/index.ts'));
    expect(root.errors.length + forbiddenInputs(root).length).toBeGreaterThan(0);
  });
});

// ---------------------------------------------------------------------------------------------
// Differential: the built bundle, loaded in Node, checks inputs exactly as the engine's API does.

const harness = useTestEngine();
let core: typeof Core;
let bundleDir: string;

beforeAll(async () => {
  const bundle = await bundleForBrowser(join(engineRoot, 'src/core/index.ts'));
  if (bundle.errors.length > 0) throw new Error(bundle.errors.join('\n'));
  bundleDir = mkdtempSync(join(tmpdir(), 'crm-core-'));
  const file = join(bundleDir, 'core.mjs');
  writeFileSync(file, bundle.code);
  core = (await import(pathToFileURL(file).href)) as typeof Core;
}, 60_000);

afterAll(() => {
  if (bundleDir) rmSync(bundleDir, { recursive: true, force: true });
});

const CREATES: readonly unknown[] = [
  { title: 'Plain' },
  {},
  { title: null },
  { title: '' },
  { title: 'x'.repeat(21) },
  { title: 42 },
  { title: 'Code', code: 'ABC' },
  { title: 'Code', code: 'abc' },
  { title: 'Money', amount: 12.5 },
  { title: 'Money', amount: '12.345' },
  { title: 'Money', amount: -1 },
  { title: 'Money', amount: 'a lot' },
  { title: 'Money', amount: 5 },
  { title: 'Money', amount: 100, discount: 95 },
  { title: 'Money', amount: 100, discount: 101 },
  { title: 'Qty', qty: 0 },
  { title: 'Qty', qty: 1.5 },
  { title: 'Qty', qty: '7' },
  { title: 'Qty', qty: 500 },
  { title: 'Qty', qty: 500, amount: 20 },
  { title: 'Date', close_date: '2025-02-30' },
  { title: 'Date', close_date: '2025-02-28' },
  { title: 'Date', close_date: 20250228 },
  { title: 'Time', meeting: '2025-01-01T10:00:00+08:00' },
  { title: 'Time', meeting: 'tomorrow' },
  { title: 'Stage', stage: 'won' },
  { title: 'Stage', stage: 'closed' },
  { title: 'Lost', stage: 'lost' },
  { title: 'Lost', stage: 'lost', loss_reason: 'price' },
  { title: 'Lost', stage: 'lost', loss_reason: 'price', amount: 1 },
  { title: 'City', city: 'beijing' },
  { title: 'City', region: 'north', city: 'beijing' },
  { title: 'City', region: 'south', city: 'beijing' },
  { title: 'City', city: 'online' },
  { title: 'Tags', tags: ['a', 'b'] },
  { title: 'Tags', tags: ['a', 'b', 'c'] },
  { title: 'Tags', tags: ['z'] },
  { title: 'Tags', tags: 'a' },
  { title: 'Vip', vip: 'yes' },
  { title: 'Vip', vip: true },
  { title: 'Mail', email: 'not an email' },
  { title: 'Mail', email: 'a@example.com', site: 'https://example.com' },
  { title: 'Site', site: 'example' },
  { title: 'Note', note: 'x'.repeat(31) },
  { title: 'Meta', meta: { a: [1, 2, { b: null }] } },
  { title: 'Unknown', nonsense: 1 },
  { title: 'Read only', net: 5 },
  { title: 'Read only', created_at: '2025-01-01T00:00:00Z' },
  { title: 'Many', amount: 'x', qty: 0, stage: 'nope', email: 'bad', tags: ['z'], vip: 3 },
  [],
  'a string',
  null,
];

/** Updates of a stored record: the input that creates it, then the update. */
const UPDATES: readonly { readonly base: Record<string, unknown>; readonly input: unknown }[] = [
  { base: { title: 'Won', stage: 'won' }, input: { stage: 'lost', loss_reason: 'late' } },
  { base: { title: 'Won', stage: 'won' }, input: { stage: 'won' } },
  { base: { title: 'Won', stage: 'won' }, input: { title: 'Still won' } },
  { base: { title: 'New' }, input: { stage: 'won' } },
  { base: { title: 'New' }, input: { stage: 'lost' } },
  { base: { title: 'New' }, input: { title: null } },
  { base: { title: 'New' }, input: { title: 'New' } },
  { base: { title: 'Amount', amount: 50 }, input: { amount: 40 } },
  { base: { title: 'Amount', amount: 50 }, input: { amount: '50.00' } },
  { base: { title: 'Amount', amount: 50 }, input: { amount: 60, discount: 90 } },
  { base: { title: 'Amount', amount: 50 }, input: { amount: null } },
  { base: { title: 'City', region: 'north', city: 'beijing' }, input: { region: 'south' } },
  { base: { title: 'City', region: 'north', city: 'beijing' }, input: { region: 'south', city: 'guangzhou' } },
  { base: { title: 'Qty', qty: 5 }, input: { qty: 200 } },
  { base: { title: 'Qty', qty: 5, amount: 30 }, input: { qty: 200 } },
  { base: { title: 'Bad input' }, input: { qty: 'many', stage: 'won' } },
  { base: { title: 'Bad input' }, input: { id: 'x' } },
  { base: { title: 'Dates', close_date: '2025-01-01' }, input: { close_date: '2025-01-01', meeting: '2025-03-01T08:00:00Z' } },
  { base: { title: 'Tags', tags: ['a'] }, input: { tags: ['a', 'c'] } },
  { base: { title: 'Tags', tags: ['a'] }, input: { tags: [] } },
];

/** What the API answers, in both languages: the error bodies, or that the write went through. */
function outcome(error: unknown): unknown {
  if (error === undefined) return 'ok';
  // The bundle has its own CrmError class: recognise either by shape.
  if (!isCrmError(error) && !(error instanceof core.CrmError)) throw error;
  return { status: error.status, en: error.toBody('en'), zh: error.toBody('zh-CN') };
}

describe('the bundled record input check agrees with the engine API', () => {
  async function setUp() {
    const { engine } = harness();
    const name = uniqueName('deal');
    await engine.objects.create(systemActor, { name, label: 'Deal', fields: FIELDS });
    for (const rule of RULES) await engine.validationRules.create(systemActor, name, rule);
    const compiled = (await engine.metadata(systemActor)).object(name);
    // The documents as a client projection carries them: plain JSON.
    const documents = JSON.parse(
      JSON.stringify({
        object: compiled.definition,
        fields: compiled.userFields.map((f) => ({ definition: f.definition })),
        validationRules: [...compiled.validationRules.values()],
      }),
    ) as Core.InputObjectDocuments;
    // Compilers as a browser injects them: the bundle's own rule compiler, and AJV for schemas
    // (a browser under CSP gets AJV's standalone output of the same schemas instead).
    const ajv = createAjv();
    const compilers: Core.Compilers = {
      rule: (rule, mode) => (mode === 'boolean' ? core.compileCondition(rule) : core.compileRule(rule)),
      schema: (schema) => ajv.compile(schema),
    };
    const object = core.compileInputObject(documents, compilers);
    const context = (): Core.RuleContext => ({ user: { id: SYSTEM_USER_ID }, now: new Date() });
    const checked = (input: unknown, old?: Record<string, unknown>) => {
      const result = core.checkRecordInput(object, input, { context: context(), ...(old ? { old } : {}) });
      return outcome(result.ok ? undefined : core.nameFieldsByLabel(result.error, object, new Set()));
    };
    return { engine, name, object, checked };
  }

  it('on creates: the same fields[] (codes, paths, fields, labels, messages in en and zh-CN), or both accept', async () => {
    const { engine, name, object, checked } = await setUp();
    let accepted = 0;
    const codes = new Set<string>();
    for (const input of CREATES) {
      const api = await engine.records.create(systemActor, name, input).then(
        (record) => ({ record, error: undefined }),
        (error: unknown) => ({ record: undefined, error }),
      );
      expect(checked(input), JSON.stringify(input)).toEqual(outcome(api.error));
      if (isCrmError(api.error)) codes.add(api.error.code);
      if (!api.record) continue;
      accepted += 1;
      // What the browser computed is what the server stored: defaults, normalised values, formulas.
      const browser = core.checkRecordInput(object, input, { context: { user: { id: SYSTEM_USER_ID }, now: new Date() } });
      if (!browser.ok) throw browser.error;
      const shown = core.outputRecord(object, browser.values, { user: { id: SYSTEM_USER_ID }, now: new Date() });
      for (const field of object.userFields) expect(shown[field.name], `${field.name} of ${JSON.stringify(input)}`).toEqual(api.record[field.name]);
    }
    expect(accepted).toBeGreaterThan(10);
    expect(accepted).toBeLessThan(CREATES.length - 20);
    expect([...codes].sort()).toEqual(['rule_violation', 'validation_failed']);
  });

  it('on updates with $old: the same issues, or both accept', async () => {
    const { engine, name, checked } = await setUp();
    const codes = new Set<string>();
    for (const { base, input } of UPDATES) {
      const stored = await engine.records.create(systemActor, name, base);
      // The browser knows the record as the API returned it.
      const browser = checked(input, stored);
      const api = await engine.records.update(systemActor, name, String(stored.id), input).then(
        () => undefined,
        (error: unknown) => error,
      );
      expect(browser, `${JSON.stringify(base)} <- ${JSON.stringify(input)}`).toEqual(outcome(api));
      codes.add(isCrmError(api) ? api.code : 'ok');
    }
    expect([...codes].sort()).toEqual(['ok', 'rule_violation', 'validation_failed']);
  });
});
