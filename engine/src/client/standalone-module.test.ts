import { describe, expect, it } from 'vitest';
import { moduleCompilers, type ModuleCompilers } from '../core/module-compilers';
import { isCrmError } from '../errors';
import { compileSchema } from '../metadata/ajv';
import type { JsonSchema } from '../metadata/json-schema';
import { compileRule } from '../rules/compile-js';
import { generateStandaloneModule, type ModuleRule } from './standalone-module';
import { standaloneRequire } from '../rules/standalone-runtime';
import { importModuleSource } from '../testing/import-module-source';
import { outcome, sameOutcome, sameResult } from '../rules/test-support/random';

async function load(rules: readonly ModuleRule[], schemas: readonly JsonSchema[] = []): Promise<ModuleCompilers> {
  return moduleCompilers(await importModuleSource(generateStandaloneModule({ rules, schemas, title: 'test' })));
}

const values = (rules: readonly unknown[]): ModuleRule[] => rules.map((rule) => ({ rule, mode: 'value' as const }));

describe('standalone rules module', () => {
  it('rebuilds literal constants exactly: frozen, -0 kept, "__proto__" an own key, Sets for long lists', async () => {
    const literal = JSON.parse('{"a": [1, -0, {"b": null}], "__proto__": {"polluted": true}, "s": "x"}') as unknown;
    const rules = [
      { if: [{ var: 'x' }, literal, [literal]] },
      { in: [{ var: 'x' }, ['a', 'b', 'c', 'd', 'e', 'f', 'g', 'h', 1, null, true, -0]] },
      { '/': [1, -0] },
      { '/': [1, 0] },
    ];
    const compilers = await load(values(rules));
    for (const data of [{ x: true }, { x: false }, { x: 'h' }, { x: 0 }, { x: null }, { x: 'z' }]) {
      for (const rule of rules) {
        const ours = compilers.rule(rule, 'value')(data);
        expect(sameResult(ours, compileRule(rule)(data)), `${JSON.stringify(rule)} on ${JSON.stringify(data)}`).toBe(true);
      }
    }
    const built = compilers.rule(rules[0], 'value')({ x: true }) as Record<string, unknown>;
    expect(Object.isFrozen(built) && Object.isFrozen(built.a)).toBe(true);
    expect(Object.getPrototypeOf(built)).toBe(Object.prototype);
    expect(Object.prototype.hasOwnProperty.call(built, '__proto__')).toBe(true);
    expect(Object.is((built.a as unknown[])[1], -0)).toBe(true);
    // -0 and 0 are different rules, with different answers.
    expect(compilers.rule({ '/': [1, -0] }, 'value')()).toBe(-Infinity);
    expect(compilers.rule({ '/': [1, 0] }, 'value')()).toBe(Infinity);
  });

  it('keeps hostile strings data: quotes, comment ends, line separators and script tags in names and literals', async () => {
    const rules = [
      { cat: ['"); throw new Error("injected"); ("', '*/ throw 1; /*', '\u2028\u2029', '</script><script>', { var: 'a"b' }, { var: '`${x}`' }] },
      { '==': [{ var: 'x\n}); throw 1; //' }, '\\'] },
      { missing: ['a"b', '\u2028'] },
    ];
    const source = generateStandaloneModule({ rules: values(rules), schemas: [], title: 'rev\u2028throw 1' });
    expect(source).not.toContain('\u2028throw 1');
    const compilers = moduleCompilers(await importModuleSource(source));
    const data = { 'a"b': 'Q', '`${x}`': 'T', 'x\n}); throw 1; //': '\\' };
    for (const rule of rules) expect(compilers.rule(rule, 'value')(data)).toEqual(compileRule(rule)(data));
  });

  it('evaluates rules met at run time (computed missing keys) without eval, with the same answers and refusals', async () => {
    const rule = { missing: { var: 'keys' } };
    const compilers = await load([...values([rule]), { rule, mode: 'boolean' }]);
    const cases = [
      { keys: [{ cat: ['a', 'b'] }], ab: 1 },
      { keys: [{ cat: ['a', 'b'] }, 'c'], c: '' },
      { keys: [[{ var: 'name' }, 'fallback']], name: 'nope' },
      { keys: [{ missing: [{ var: 'k' }] }], k: { cat: ['z'] } },
      { keys: [{ log: 1 }] },
      { keys: [{ method: ['x', 'toString'] }] },
    ];
    for (const data of cases) {
      const theirs = outcome(() => compileRule(rule)(data));
      expect(sameOutcome(outcome(() => compilers.rule(rule, 'value')(data)), theirs), JSON.stringify(data)).toBe(true);
    }
    expect(() => compilers.rule(rule, 'value')({ keys: [{ log: 1 }] })).toThrow(expect.objectContaining({ code: 'rule_invalid' }));
    expect(compilers.rule(rule, 'boolean')({ keys: ['gone'] })).toBe(true);
  });

  it('refuses a rule compileRule refuses, and says which rule or schema a module lacks', async () => {
    let error: unknown;
    try {
      generateStandaloneModule({ rules: values([{ log: 'x' }]), schemas: [] });
    } catch (caught) {
      error = caught;
    }
    expect(isCrmError(error) && error.code === 'rule_invalid').toBe(true);

    const compilers = await load(values([{ var: 'a' }]), [{ type: 'string' }]);
    expect(compilers.rule({ var: 'a' }, 'value')({ a: 7 })).toBe(7);
    expect(() => compilers.rule({ var: 'a' }, 'boolean')).toThrow(/has no boolean rule \{"var":"a"\}/);
    expect(() => compilers.rule({ var: 'b' }, 'value')).toThrow(/has no value rule \{"var":"b"\}/);
    expect(() => compilers.schema({ type: 'number' })).toThrow(/has no validator for the schema \{"type":"number"\}/);
    expect(() => moduleCompilers({} as never)).toThrow(/not a generated rules module/);
  });

  it('gives validators the server AJV answers, errors included, with formats and runtime helpers injected', async () => {
    const object: JsonSchema = {
      type: 'object',
      properties: {
        name: { anyOf: [{ type: 'null' }, { type: 'string', maxLength: 5, minLength: 2, pattern: '^[A-Z]' }] },
        email: { type: 'string', format: 'email' },
        site: { type: 'string', format: 'uri' },
        day: { type: 'string', pattern: '^\\d{4}-\\d{2}-\\d{2}$', format: 'date' },
        at: { type: 'string', format: 'date-time' },
        owner: { type: 'string', format: 'uuid' },
        count: { anyOf: [{ type: 'integer', minimum: 0, maximum: 10 }, { type: 'string', pattern: '^\\s*\\d+\\s*$' }] },
        tags: { type: 'array', items: { type: 'string', minLength: 1 }, maxItems: 2, uniqueItems: true },
        shape: { enum: [{ kind: 'a' }, 2] },
        fixed: { const: { x: [1] } },
        computed: { not: {} },
      },
    };
    const compilers = await load([], [object, { type: 'string' }, object]);
    const server = compileSchema(object);
    const inputs: unknown[] = [
      {},
      { name: 'Ab', email: 'a@b.co', site: 'https://x.test/p', day: '2024-02-29', at: '2024-01-01T10:00:00Z', owner: '6f1c4c5e-3d5b-4a7e-9a43-1b2c3d4e5f60', count: 3 },
      { name: 'a😀😀😀😀😀', email: 'no', site: 'not a uri', day: '2023-02-29', at: 'yesterday', owner: 'x', count: 11 },
      { name: '😀😀😀😀😀', tags: ['a', 'a'], shape: { kind: 'a' }, fixed: { x: [1] } },
      { tags: ['a', 'b', 'c'], shape: { kind: 'b' }, fixed: { x: [2] }, computed: 1 },
      { count: ' 12 ', name: null },
      'not an object',
    ];
    const validate = compilers.schema(object);
    for (const input of inputs) {
      expect(validate(input), JSON.stringify(input)).toBe(server(input));
      expect(validate.errors ?? null).toEqual(server.errors ?? null);
    }
    expect(compilers.schema({ type: 'string' })('x')).toBe(true);
  });

  it('hands validator code only the runtime modules it knows', () => {
    expect(standaloneRequire('ajv/dist/runtime/ucs2length')).toHaveProperty('default');
    expect(() => standaloneRequire('node:fs')).toThrow(/no runtime module "node:fs"/);
  });
});
