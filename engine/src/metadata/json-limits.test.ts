import { describe, expect, it } from 'vitest';
import { systemActor } from '../actors';
import type { CrmError } from '../errors';
import { installTemplate } from '../templates/install-template';
import { expectCrmError, uniqueName, useTestEngine } from '../testing';
import { DOCUMENT_LIMITS, JSON_VALUE_LIMITS, jsonInputIssue, RULE_LIMITS } from './json-limits';

/** `{"and":[{"and":[ ... true ... ,true]},true]}`: a rule nested `depth` levels deep, built without recursion. */
function deepRule(depth: number): unknown {
  let rule: unknown = true;
  for (let level = 1; level < depth; level += 2) rule = { and: [rule, true] };
  return rule;
}

function deepArray(depth: number): unknown {
  let value: unknown = [];
  for (let level = 1; level < depth; level++) value = [value];
  return value;
}

const TOO_DEEP = 10_000;

describe('jsonInputIssue', () => {
  it('measures depth without recursion: 100,000 levels are refused, not a stack overflow', () => {
    expect(jsonInputIssue(deepArray(100_000), JSON_VALUE_LIMITS)).toEqual({ path: '0/'.repeat(63) + '0', code: 'too_deep', params: { limit: 64 } });
    expect(jsonInputIssue(deepArray(64), JSON_VALUE_LIMITS)).toBeUndefined();
    expect(jsonInputIssue(deepArray(65), JSON_VALUE_LIMITS)?.code).toBe('too_deep');
    // Scalars are a level too, as in the rule inspector: the rule itself is level 1.
    expect(jsonInputIssue({ a: { b: 1 } }, { maxDepth: 2, maxNodes: 10 }, { path: 'doc' })).toEqual({ path: 'doc/a/b', code: 'too_deep', params: { limit: 2 } });
  });

  it('counts every value against the size limit', () => {
    expect(jsonInputIssue(Array.from({ length: 1000 }, () => 1), RULE_LIMITS, { path: 'filter' })).toEqual({ path: 'filter', code: 'too_large', params: { limit: 1000 } });
    expect(jsonInputIssue(Array.from({ length: 999 }, () => 1), RULE_LIMITS)).toBeUndefined();
  });

  it('finds U+0000 in strings and keys, naming the path as a JSON pointer', () => {
    expect(jsonInputIssue({ a: [1, { 'x/y': 'ok\u0000' }] }, DOCUMENT_LIMITS)).toEqual({ path: 'a/1/x~1y', code: 'nul_character' });
    expect(jsonInputIssue({ a: { 'b\u0000': 1 } }, DOCUMENT_LIMITS, { path: 'doc' })).toEqual({ path: 'doc/a/b\u0000', code: 'nul_character' });
    expect(jsonInputIssue('\u0000', DOCUMENT_LIMITS, { path: 'q' })).toEqual({ path: 'q', code: 'nul_character' });
    expect(jsonInputIssue({ a: '\u0000' }, DOCUMENT_LIMITS, { nul: false })).toBeUndefined();
    expect(jsonInputIssue({ a: 'fine', b: [null, true, 1.5] }, DOCUMENT_LIMITS)).toBeUndefined();
  });
});

describe('untrusted JSON at the engine entry points', () => {
  const harness = useTestEngine();

  async function setup(): Promise<{ deal: string; task: string }> {
    const { engine } = harness();
    const deal = uniqueName('deal');
    const task = uniqueName('task');
    await engine.objects.create(systemActor, {
      name: deal,
      label: 'Deal',
      fields: [
        { name: 'title', type: 'text', label: 'Title', searchable: true },
        { name: 'code', type: 'text', label: 'Code', unique: true },
        { name: 'amount', type: 'integer', label: 'Amount' },
        { name: 'doc', type: 'json', label: 'Doc' },
      ],
    });
    await engine.objects.create(systemActor, { name: task, label: 'Task', fields: [{ name: 'deal', type: 'lookup', label: 'Deal', target: deal }, { name: 'hours', type: 'integer', label: 'Hours' }] });
    return { deal, task };
  }

  async function revision(): Promise<number> {
    return (await harness().engine.metadata(systemActor)).revision;
  }

  async function count(object: string): Promise<number> {
    return (await harness().engine.records.list(systemActor, object, { count: true, limit: 1 })).total!;
  }

  function expectIssue(error: CrmError, path: string, code: string, params?: Record<string, unknown>): void {
    expect(error.fields).toEqual([{ path, code, ...(params ? { params } : {}) }]);
  }

  it('refuses U+0000 in record values, imports, search text, filters and idempotency keys, writing nothing', async () => {
    const { engine } = harness();
    const { deal } = await setup();
    await engine.records.create(systemActor, deal, { title: 'kept', code: 'K' });

    expectIssue(await expectCrmError(engine.records.create(systemActor, deal, { title: 'a\u0000b' }), 'validation_failed'), 'title', 'nul_character');
    expectIssue(await expectCrmError(engine.records.create(systemActor, deal, { doc: { 'k\u0000': 1 } }), 'validation_failed'), 'doc', 'nul_character');
    expectIssue(await expectCrmError(engine.records.create(systemActor, deal, { doc: ['\u0000'] }), 'validation_failed'), 'doc', 'nul_character');
    const upsert = await engine.records.bulk(systemActor, deal, { operation: 'upsert', upsert_field: 'code', records: [{ code: 'K\u0000', title: 'x' }] });
    expect(upsert.results[0]!.error?.fields).toEqual([{ path: 'code', code: 'nul_character' }]);
    await expectCrmError(engine.records.create(systemActor, deal, { title: 'x' }, { idempotency: { key: 'k\u0000', fingerprint: 'f' } }), 'validation_failed');

    const csv = await engine.records.import(systemActor, deal, { format: 'csv', data: 'title,code\nfine,A\n"bad\u0000",B\n', all_or_nothing: true });
    expect(csv.committed).toBe(false);
    expect(csv.results[1]).toMatchObject({ line: 3, status: 'failed' });
    expect(csv.results[1]!.error!.fields).toEqual([{ path: 'title', code: 'nul_character' }]);
    const ndjson = await engine.records.import(systemActor, deal, { format: 'ndjson', data: '{"title":"a\\u0000"}\n{"doc":{"x":["\\u0000"]}}\n' });
    expect(ndjson.results.map((r) => r.error?.fields)).toEqual([[{ path: 'title', code: 'nul_character' }], [{ path: 'doc', code: 'nul_character' }]]);

    expectIssue(await expectCrmError(engine.records.list(systemActor, deal, { search: 'a\u0000' }), 'validation_failed'), 'search', 'nul_character');
    expectIssue(await expectCrmError(engine.records.list(systemActor, deal, { filter: { '==': [{ var: 'title' }, 'a\u0000'] } }), 'rule_invalid'), 'filter/==/1', 'nul_character');
    await expectCrmError(engine.records.export(systemActor, deal, { filter: { in: ['\u0000', { var: 'title' }] } }).next(), 'rule_invalid');
    expect(await count(deal)).toBe(1);
  });

  it('refuses U+0000 in metadata documents and templates, naming the property', async () => {
    const { engine } = harness();
    const { deal } = await setup();
    const before = await revision();
    expectIssue(await expectCrmError(engine.objects.create(systemActor, { name: uniqueName('o'), label: { en: 'A\u0000' } }), 'metadata_invalid'), 'label/en', 'nul_character');
    expectIssue(await expectCrmError(engine.fields.create(systemActor, deal, { name: 'f', type: 'text', label: 'F', default: 'x\u0000' }), 'metadata_invalid'), 'default', 'nul_character');
    expectIssue(await expectCrmError(engine.views.create(systemActor, deal, { name: 'v', type: 'list', label: 'V', columns: ['title'], filter: { '==': [{ var: 'title' }, '\u0000'] } }), 'metadata_invalid'), 'filter/==/1', 'nul_character');
    expectIssue(await expectCrmError(engine.roles.create(systemActor, { name: 'r_nul', label: 'R\u0000', objects: {} }), 'metadata_invalid'), 'label', 'nul_character');
    await expectCrmError(installTemplate(engine, systemActor, { name: 't', version: '1', label: 'T\u0000', objects: [] }), 'metadata_invalid');
    expect(await revision()).toBe(before);
  });

  it(`refuses rules, documents and json values nested ${TOO_DEEP} levels deep with the limit named, before anything recurses`, async () => {
    const { engine } = harness();
    const { deal, task } = await setup();
    const before = await revision();
    const deep = deepRule(TOO_DEEP);
    const documentTooDeep = (error: CrmError) => {
      expect(error.fields).toHaveLength(1);
      expect(error.fields[0]).toMatchObject({ code: 'too_deep', params: { limit: DOCUMENT_LIMITS.maxDepth } });
      expect(error.message).toContain(`nested more than ${DOCUMENT_LIMITS.maxDepth} levels deep`);
    };
    documentTooDeep(await expectCrmError(engine.validationRules.create(systemActor, deal, { name: 'deep', condition: deep, message: 'm' }), 'metadata_invalid'));
    documentTooDeep(await expectCrmError(engine.fields.create(systemActor, deal, { name: 'f', type: 'formula', label: 'F', expression: deep, result_type: 'boolean' }), 'metadata_invalid'));
    documentTooDeep(await expectCrmError(engine.fields.create(systemActor, deal, { name: 'g', type: 'integer', label: 'G', default: deep }), 'metadata_invalid'));
    documentTooDeep(await expectCrmError(engine.fields.create(systemActor, deal, { name: 'h', type: 'rollup', label: 'H', child_object: task, relationship_field: 'deal', aggregate: 'count', filter: deep }), 'metadata_invalid'));
    documentTooDeep(await expectCrmError(engine.views.create(systemActor, deal, { name: 'v', type: 'list', label: 'V', columns: ['title'], filter: deep }), 'metadata_invalid'));
    documentTooDeep(await expectCrmError(engine.layouts.create(systemActor, deal, { name: 'l', type: 'form', sections: [{ columns: 1, fields: [{ field: 'title' }], visible_when: deep }] }), 'metadata_invalid'));
    documentTooDeep(
      await expectCrmError(
        engine.workflows.create(systemActor, deal, { name: 'w', trigger: { type: 'record', events: ['created'], condition: deep }, actions: [{ type: 'update_record', values: { amount: deep } }] }),
        'metadata_invalid',
      ),
    );
    documentTooDeep(
      await expectCrmError(
        engine.approvalProcesses.create(systemActor, deal, { name: 'p', label: 'P', entry_criteria: deep, steps: [{ name: 's', approvers: [{ type: 'manager' }], mode: 'any' }] }),
        'metadata_invalid',
      ),
    );
    documentTooDeep(await expectCrmError(installTemplate(engine, systemActor, { name: 't', version: '1', label: 'T', objects: [{ name: 'x', label: 'X', fields: [{ name: 'y', type: 'integer', label: 'Y', default: deep }] }] }), 'metadata_invalid'));
    expect(await revision()).toBe(before);

    const filter = await expectCrmError(engine.records.list(systemActor, deal, { filter: deep }), 'rule_invalid');
    expect(filter.fields[0]).toMatchObject({ code: 'too_deep', params: { limit: RULE_LIMITS.maxDepth } });
    const json = await expectCrmError(engine.records.create(systemActor, deal, { doc: deepArray(TOO_DEEP) }), 'validation_failed');
    expectIssue(json, 'doc', 'too_deep', { limit: JSON_VALUE_LIMITS.maxDepth });
    expect(json.messageIn('zh-CN')).toContain(`嵌套超过 ${JSON_VALUE_LIMITS.maxDepth} 层`);
    const kept = await engine.records.create(systemActor, deal, { doc: deepArray(JSON_VALUE_LIMITS.maxDepth) });
    expect(await count(deal)).toBe(1);
    expect((await engine.records.get(systemActor, deal, String(kept.id))).doc).toEqual(deepArray(JSON_VALUE_LIMITS.maxDepth));
  });
});
