import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { actionCatalogue, documentKindCatalogue, errorCatalogue, expectationCatalogue, fieldIssueCatalogue, usageCatalogue } from './catalogue';
import { CrmError, validationError, type FieldIssue } from './crm-error';
import { fillTemplate, type ErrorParams } from './fill';
import { reason } from './reason';
import { reasonCatalogue, type ReasonCode } from './reason-catalogue';

/**
 * Names and formats a Chinese message may hold as they are: protocols, file formats, headers,
 * API tokens a caller types (parameter names, enum values). Anything else of three or more Latin
 * letters is an English fragment.
 */
const KNOWN_TOKENS = [
  'JSON-Logic', 'json-logic-js', 'application/json', 'application/x-ndjson', 'text/csv', 'Idempotency-Key', 'YYYY-MM-DD',
  'UTF-8', 'JSON', 'NDJSON', 'CSV', 'API', 'URL', 'SMTP', 'HTTP', 'http', 'https', 'SQL', 'UTC', 'ISO', 'CSRF', 'ETag',
  'Webhook', 'NUL', 'dead', 'convert', 'cron',
];
const ENGLISH_WORD = /[A-Za-z]{3,}/;

function withoutKnownTokens(text: string): string {
  return KNOWN_TOKENS.reduce((rest, token) => rest.split(token).join(' '), text);
}

/** Fails on an English word in a Chinese text, naming where it came from. */
function expectNoEnglish(text: string, where: string): void {
  expect(withoutKnownTokens(text).match(ENGLISH_WORD)?.[0], `${where}: ${text}`).toBeUndefined();
}

const placeholders = (text: string) => [...text.matchAll(/\{([a-z_]+)\}/g)].map((m) => m[1]!).sort();

/** Every placeholder filled with a Chinese sample, so only the catalogue's own words remain to check. */
function sampleParams(template: string): ErrorParams {
  return Object.fromEntries(placeholders(template).map((name) => [name, name === 'choices' || name === 'values' || name === 'problems' ? ['甲', '乙'] : '示例']));
}

describe('zh-CN messages hold no English', () => {
  const catalogues: Record<string, Readonly<Record<string, Readonly<Record<'en' | 'zh-CN', string>>>>> = {
    error: Object.fromEntries(Object.entries(errorCatalogue).map(([code, def]) => [code, def.message])),
    fieldIssue: fieldIssueCatalogue,
    reason: reasonCatalogue,
    action: actionCatalogue,
    documentKind: documentKindCatalogue,
    usage: usageCatalogue,
  };

  it('renders every entry of every catalogue in Chinese with sample params', () => {
    for (const [name, catalogue] of Object.entries(catalogues)) {
      for (const [code, text] of Object.entries(catalogue)) {
        expect(text['zh-CN'], `${name}.${code}`).not.toBe('');
        expectNoEnglish(fillTemplate(text['zh-CN'], sampleParams(text['zh-CN']), 'zh-CN'), `${name}.${code}`);
      }
    }
    for (const [phrase, zh] of Object.entries(expectationCatalogue)) expectNoEnglish(zh, `expectation "${phrase}"`);
  });

  it('has every reason in both languages with the same placeholders', () => {
    for (const [code, text] of Object.entries(reasonCatalogue)) {
      expect(text.en, code).not.toBe('');
      expect(placeholders(text['zh-CN']), code).toEqual(placeholders(text.en));
    }
  });

  it('catches an English fragment (the check itself can fail)', () => {
    expect(() => expectNoEnglish('输入无效：ids must be 1 to 1000 record ids', 'sample')).toThrow();
    expect(() => expectNoEnglish('请求体不是有效的 JSON', 'sample')).not.toThrow();
  });

  it('renders reasons, nested reasons, lists and choices in the reader’s language', () => {
    const error = new CrmError('validation_failed', {}, [
      { path: 'ids', code: 'invalid', params: { reason: reason('must_be_id_count_range', { min: 1, max: 1000 }) } },
      { path: 'mode', code: 'invalid', params: { reason: reason('must_be_choice', { choices: ['create', 'update', 'upsert'] }) } },
      { path: 'unique', code: 'invalid', params: { reason: reason('records_share_values', { examples: [reason('value_count', { value: 'a', count: 2 })] }) } },
    ]);
    expect(error.message).toBe('The input is not valid: ids must be 1 to 1000 record ids; mode must be create, update or upsert; unique records already share values: "a" (2 records); make them unique first');
    expect(error.messageIn('zh-CN')).toBe(
      '输入无效：ids 必须包含 1 到 1000 个记录 ID; mode 必须是 create、update 或 upsert; unique 已有记录使用相同的值："a"（2 条记录）；请先使它们唯一',
    );
  });

  it('renders a reason that went through JSON (an idempotent replay) as before', () => {
    const error = new CrmError('sort_invalid', { field: 'amount', reason: reason('too_many_sort_fields', { max: 5 }) });
    const replayed = CrmError.fromJSON(JSON.parse(JSON.stringify(error.toJSON())) as ReturnType<CrmError['toJSON']>);
    expect(replayed.messageIn('zh-CN')).toBe(error.messageIn('zh-CN'));
    expect(replayed.messageIn('zh-CN')).toBe('无法按 "amount" 排序：最多 5 个排序字段');
    expect(String(reason('too_many_sort_fields', { max: 5 }))).toBe('at most 5 sort fields');
  });

  it('names document kinds and administered things in Chinese', () => {
    expect(new CrmError('name_taken', { kind: 'Validation rule', name: 'x' }).messageIn('zh-CN')).toBe('校验规则 "x" 已存在');
    expect(new CrmError('name_taken', { kind: 'Validation rule', name: 'x' }).message).toBe('Validation rule "x" already exists');
    expect(new CrmError('metadata_invalid', { kind: 'approval process', summary: reason('must_be_json_object') }).messageIn('zh-CN')).toBe('审批流程 定义无效：必须是 JSON 对象');
  });

  it('says how many more issues there are in the reader’s language', () => {
    const issues: FieldIssue[] = Array.from({ length: 7 }, (_, i) => ({ path: `f${i}`, code: 'required' }));
    expect(validationError(issues).messageIn('zh-CN')).toMatch(/（另有 2 项）$/);
    expect(validationError(issues).message).toMatch(/ \(\+2 more\)$/);
  });
});

/**
 * Reasons are catalogue codes, not text: a text `reason:` anywhere fails here, and so does a text
 * given to a check's report()/at() (the whole-graph checks of every document kind). A workflow
 * run's `skipped` outcome keeps its reason as text: it is stored run-log data, not a message.
 */
const RUN_LOG_OUTCOME = /\boutcome: 'skipped'|\bdetail(?: =|:) \{ reason:/;
const TEXT_REASON = /\breason:\s*[`'"]/;
const TEXT_REPORT = /\b(?:report|at)\(.*,\s*(?:`[^`]*`|'[^']*'|"[^"]*")\s*\)/;
const isTextReason = (line: string) => (TEXT_REASON.test(line) && !RUN_LOG_OUTCOME.test(line)) || TEXT_REPORT.test(line);

function sourceFiles(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const path = join(dir, name);
    if (statSync(path).isDirectory()) return name === 'node_modules' ? [] : sourceFiles(path);
    return path.endsWith('.ts') && !path.endsWith('.test.ts') ? [path] : [];
  });
}

describe('reasons in the source', () => {
  it('are catalogue codes', () => {
    const root = fileURLToPath(new URL('../../../', import.meta.url));
    const offending = ['engine/src', 'server/src']
      .flatMap((dir) => sourceFiles(join(root, dir)))
      .map((path) => relative(root, path))
      .flatMap((path) =>
        readFileSync(join(root, path), 'utf8')
          .split('\n')
          .flatMap((line, i) => (isTextReason(line) && !line.trimStart().startsWith('*') && !line.trimStart().startsWith('//') ? [`${path}:${i + 1}: ${line.trim()}`] : [])),
      );
    expect(offending).toEqual([]);
  });

  it('name what a value should be by an entry of the expectation catalogue', () => {
    const root = fileURLToPath(new URL('../../../', import.meta.url));
    const named = ['engine/src', 'server/src']
      .flatMap((dir) => sourceFiles(join(root, dir)))
      .flatMap((path) => [...readFileSync(path, 'utf8').matchAll(/\b(?:expected: |_BODY = )'([^']+)'/g)].map((m) => m[1]!));
    expect(named.length).toBeGreaterThan(10);
    expect(named.filter((phrase) => !(phrase in expectationCatalogue))).toEqual([]);
  });

  it('finds a text reason (the scan itself can fail)', () => {
    expect(TEXT_REASON.test("issues.push({ path, code: 'invalid', params: { reason: 'is not valid' } })")).toBe(true);
    expect(TEXT_REASON.test("issues.push({ path, code: 'invalid', params: { reason: reason('not_valid') } })")).toBe(false);
    expect(isTextReason("context.report(view.name, 'group_by', 'a kanban groups by a select field');")).toBe(true);
    expect(isTextReason("at('target', `object \"${def.target}\" does not exist`);")).toBe(true);
    expect(isTextReason("report(`trigger/fields/${i}`, reason('not_a_field_of_this_object', { name }));")).toBe(false);
    expect(isTextReason("if (to.length === 0) return { outcome: 'skipped', detail: { reason: 'no address' } };")).toBe(false);
  });
});

// Reason codes are a closed set and their params are checked: a typo is a compile error (tsc), not a
// message that reads "must_be_strnig".
export function compileTimeChecks(): ReasonCode[] {
  // @ts-expect-error an unknown code
  reason('must_be_strnig');
  // @ts-expect-error a missing param
  reason('must_be_range', { min: 1 });
  // @ts-expect-error a reason is not free text
  new CrmError('sort_invalid', { field: 'amount', reason: { reason: 'is not a code' } });
  return ['not_valid'];
}
