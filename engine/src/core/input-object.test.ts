import { describe, expect, it } from 'vitest';
import { defaultCompilers } from '../metadata/default-compilers';
import { checkRecordInput, compileInputObject, inputCompilations, recordInputSchema, ruleKey, schemaKey, type Compilers, type InputObjectDocuments } from './index';

const NET = { '*': [{ var: 'amount' }, 2] };
const DOCUMENTS: InputObjectDocuments = {
  object: { name: 'deal', label: 'Deal' },
  fields: [
    { definition: { name: 'title', type: 'text', label: 'Title', required: true } },
    { definition: { name: 'amount', type: 'decimal', label: 'Amount', scale: 2 } },
    { definition: { name: 'stage', type: 'select', label: 'Stage', options: [{ value: 'new', label: 'New' }, { value: 'won', label: 'Won' }], default: 'new' } },
    { definition: { name: 'net', type: 'formula', label: 'Net', result_type: 'number', expression: NET } },
  ],
  validationRules: [
    { name: 'net_small', condition: { '<': [{ var: 'net' }, 100] }, message: 'Net must stay under 100', fields: ['amount'] },
    { name: 'old_rule', active: false, condition: { '==': [1, 2] }, message: 'never', fields: [] },
  ],
};
const context = { user: { id: '00000000-0000-0000-0000-000000000000' }, now: new Date('2025-01-01T00:00:00Z') };

/** A browser's compilers: functions looked up by key in what a revision's generated modules hold. */
function lookupCompilers(functions: ReadonlyMap<string, unknown>): Compilers {
  const find = <T>(key: string): T => {
    const found = functions.get(key);
    if (!found) throw new Error(`no generated function for ${key}`);
    return found as T;
  };
  return { rule: (rule, mode) => find(ruleKey(rule, mode)), schema: (schema) => find(schemaKey(schema)) };
}

describe('compiling an object for input checking with injected compilers', () => {
  it('lists exactly the rules and schemas the check compiles, keyed as the Compilers contract says', () => {
    const { rules, schemas } = inputCompilations(DOCUMENTS);
    expect([...rules.keys()].sort()).toEqual(
      [ruleKey(NET, 'value'), ruleKey('new', 'value'), ruleKey(DOCUMENTS.validationRules[0]!.condition, 'boolean')].sort(),
    );
    const object = compileInputObject(DOCUMENTS, defaultCompilers);
    expect([...schemas.keys()]).toEqual([schemaKey(recordInputSchema(object.fields))]);
  });

  it('checks inputs the same through looked-up functions as through the engine compilers', () => {
    const { rules, schemas } = inputCompilations(DOCUMENTS);
    const generated = new Map<string, unknown>([
      ...[...rules].map(([key, { rule, mode }]) => [key, defaultCompilers.rule(rule, mode)] as const),
      ...[...schemas].map(([key, schema]) => [key, defaultCompilers.schema(schema)] as const),
    ]);
    const viaLookup = compileInputObject(DOCUMENTS, lookupCompilers(generated));
    const viaEngine = compileInputObject(DOCUMENTS, defaultCompilers);
    const inputs = [{ title: 'A' }, { title: 'A', amount: 60 }, { amount: 'x' }, { title: 'B', stage: 'lost' }, { title: 'C', amount: '1.5', stage: 'won' }];
    for (const input of inputs) {
      const a = checkRecordInput(viaLookup, input, { context });
      const b = checkRecordInput(viaEngine, input, { context });
      expect(a.ok ? a.values : a.error.toBody(), JSON.stringify(input)).toEqual(b.ok ? b.values : b.error.toBody());
    }
    const big = checkRecordInput(viaLookup, { title: 'A', amount: 60 }, { context });
    expect(big.ok ? 'ok' : big.error.code).toBe('rule_violation');
    const fine = checkRecordInput(viaLookup, { title: 'A', amount: 1 }, { context });
    expect(fine.ok && fine.values.stage).toBe('new');
  });

  it('fails writes, not the compile, when a validation rule has no function; a missing formula fails the compile', () => {
    const { rules, schemas } = inputCompilations(DOCUMENTS);
    const withoutRule = new Map<string, unknown>([
      ...[...rules].filter(([, { mode }]) => mode === 'value').map(([key, { rule, mode }]) => [key, defaultCompilers.rule(rule, mode)] as const),
      ...[...schemas].map(([key, schema]) => [key, defaultCompilers.schema(schema)] as const),
    ]);
    const object = compileInputObject(DOCUMENTS, lookupCompilers(withoutRule));
    const result = checkRecordInput(object, { title: 'A', amount: 1 }, { context });
    expect(result.ok ? 'ok' : result.error.fields.map((f) => f.code)).toEqual(['rule:net_small']);
    const withoutFormula = new Map([...withoutRule].filter(([key]) => key !== ruleKey(NET, 'value')));
    expect(() => compileInputObject(DOCUMENTS, lookupCompilers(withoutFormula))).toThrow(/no generated function for value:/);
  });

  it('reports update changes against the old record and judges $old only when something changes', () => {
    const object = compileInputObject(
      { ...DOCUMENTS, validationRules: [{ name: 'won_stays', condition: { or: [{ '!=': [{ var: '$old.stage' }, 'won'] }, { '==': [{ var: 'stage' }, 'won'] }] }, message: 'Won stays won', fields: ['stage'] }] },
      defaultCompilers,
    );
    const old = { id: 'r1', title: 'A', amount: '1.00', stage: 'won' };
    const same = checkRecordInput(object, { title: 'A' }, { old, context });
    expect(same.ok && [...same.changed]).toEqual([]);
    const reopened = checkRecordInput(object, { stage: 'new' }, { old, context });
    expect(reopened.ok ? 'ok' : reopened.error.toBody().error.fields).toEqual([{ path: 'stage', code: 'rule:won_stays', message: 'Won stays won' }]);
    const renamed = checkRecordInput(object, { title: 'B' }, { old, context });
    expect(renamed.ok && [...renamed.changed]).toEqual(['title']);
  });
});
