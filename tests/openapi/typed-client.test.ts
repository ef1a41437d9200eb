import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import openapiTS, { astToString } from 'openapi-typescript';
import ts from 'typescript';
import { afterAll, beforeAll, describe, expect, it, onTestFailed } from 'vitest';
import { startTestServer, type TestServer } from './test-server';

/**
 * A client generated from the served document with openapi-typescript must type-check correct
 * use of the template's objects and reject wrong use. Files go to tests/openapi/.generated
 * (git-ignored, and skipped by the repository's tsc since it is a dot folder); a failing run
 * leaves its folder there to look at.
 */

const generatedRoot = resolve(dirname(fileURLToPath(import.meta.url)), '.generated');

const PRELUDE = `import type { components, operations, paths } from './types';
type CreateOpportunity = paths['/api/records/opportunity']['post']['requestBody']['content']['application/json'];
type UpdateOpportunity = NonNullable<operations['update_opportunity_record']['requestBody']>['content']['application/json'];
type Opportunity = paths['/api/records/opportunity/{id}']['get']['responses'][200]['content']['application/json'];
type OpportunityPage = paths['/api/records/opportunity']['get']['responses'][200]['content']['application/json'];
type ListQuery = NonNullable<operations['list_opportunity_records']['parameters']['query']>;
type ApiError = components['schemas']['Error'];
type Account = components['schemas']['account'];
declare const record: Opportunity;
declare const accountId: string;
`;

/** Correct use: must compile without a diagnostic. */
const CORRECT = `${PRELUDE}
export const body: CreateOpportunity = { title: 'Big deal', stage: 'proposal', amount: '500000.00', account: accountId };
export const numbers: CreateOpportunity = { title: 'Small deal', amount: 1200.5, probability: 25, account: accountId, close_date: '2030-01-31' };
export const change: UpdateOpportunity = { stage: 'lost', loss_reason: 'price', description: null };
export const query: ListQuery = { sort: ['-amount', 'title'], fields: ['title', 'expected_revenue'], expand: ['account'], limit: 50, count: true };
export const revenue: number | null | undefined = record.expected_revenue;
export const amount: string | null | undefined = record.amount;
export const stage: 'qualify' | 'needs' | 'proposal' | 'negotiation' | 'won' | 'lost' | null | undefined = record.stage;
export const version: number | undefined = record.version;
export function firstTitle(page: OpportunityPage): string | null | undefined {
  return page.data[0]?.title;
}
export function accountName(value: Opportunity['account']): string | null | undefined {
  return typeof value === 'object' && value !== null ? (value satisfies Account).name : undefined;
}
export function errorCode(error: ApiError): string {
  return error.error.code;
}
`;

/** Each wrong use must produce a diagnostic of the given code on the marked line. */
const WRONG: Record<string, { code: number; source: string }> = {
  'unknown-stage': { code: 2322, source: `export const body: CreateOpportunity = { title: 'x', account: accountId, stage: 'maybe' };` },
  'missing-title': { code: 2741, source: `export const body: CreateOpportunity = { stage: 'qualify', account: accountId };` },
  'writes-formula': { code: 2353, source: `export const body: CreateOpportunity = { title: 'x', account: accountId, expected_revenue: 5 };` },
  'updates-autonumber': { code: 2353, source: `export const change: UpdateOpportunity = { number: 'OPP-0001' };` },
  'sorts-by-formula': { code: 2322, source: `export const query: ListQuery = { sort: ['-expected_revenue'] };` },
  'decimal-as-number': { code: 2322, source: `export const amount: number | null | undefined = record.amount;` },
};

describe('a typed client generated from the document', () => {
  let server: TestServer;
  let folder: string;
  let diagnostics: Map<string, readonly ts.Diagnostic[]>;
  let failed = false;

  beforeAll(async () => {
    server = await startTestServer();
    await server.installSales();
    const { text } = await server.fetchDocument();
    mkdirSync(generatedRoot, { recursive: true });
    folder = mkdtempSync(join(generatedRoot, 'client-'));
    writeFileSync(join(folder, 'openapi.json'), text);
    writeFileSync(join(folder, 'types.ts'), astToString(await openapiTS(JSON.parse(text) as never)));
    const files = { correct: CORRECT, ...Object.fromEntries(Object.entries(WRONG).map(([name, { source }]) => [name, `${PRELUDE}\n${source}\n`])) };
    for (const [name, source] of Object.entries(files)) writeFileSync(join(folder, `${name}.ts`), source);
    const program = ts.createProgram({
      rootNames: Object.keys(files).map((name) => join(folder, `${name}.ts`)),
      options: {
        strict: true,
        noEmit: true,
        target: ts.ScriptTarget.ES2022,
        module: ts.ModuleKind.ESNext,
        moduleResolution: ts.ModuleResolutionKind.Bundler,
        lib: ['lib.es2022.d.ts'],
        types: [],
        skipLibCheck: true,
      },
    });
    diagnostics = new Map();
    for (const diagnostic of ts.getPreEmitDiagnostics(program)) {
      const name = diagnostic.file ? diagnostic.file.fileName.split('/').pop()!.replace(/\.ts$/, '') : '(global)';
      diagnostics.set(name, [...(diagnostics.get(name) ?? []), diagnostic]);
    }
  }, 120_000);
  afterAll(async () => {
    if (folder && !failed) rmSync(folder, { recursive: true, force: true });
    await server?.close();
  });

  const describeDiagnostics = (list: readonly ts.Diagnostic[] = []) =>
    list.map((d) => `TS${d.code}: ${ts.flattenDiagnosticMessageText(d.messageText, '\n')}`);

  it('compiles correct use of the objects: create and update bodies, list queries, read shapes', () => {
    onTestFailed(() => {
      failed = true;
    });
    expect(describeDiagnostics(diagnostics.get('types'))).toEqual([]);
    expect(describeDiagnostics(diagnostics.get('(global)'))).toEqual([]);
    expect(describeDiagnostics(diagnostics.get('correct'))).toEqual([]);
  });

  it.each(Object.entries(WRONG))('rejects wrong use: %s', (name, { code }) => {
    onTestFailed(() => {
      failed = true;
    });
    const found = diagnostics.get(name) ?? [];
    expect(describeDiagnostics(found), name).toHaveLength(1);
    expect(found[0]!.code, describeDiagnostics(found).join('\n')).toBe(code);
    // The diagnostic is on the wrong line, not somewhere in the shared prelude.
    const line = found[0]!.file!.getLineAndCharacterOfPosition(found[0]!.start!).line;
    expect(line).toBe(PRELUDE.split('\n').length);
  });
});
