import { describe, expect, it } from 'vitest';
import { CrmError } from '../errors';
import type { RuleScope, RuleVariable } from './scope';
import { listRuleIssues, validateRule } from './validate';

const fields: Record<string, RuleVariable> = {
  amount: { kind: 'number', sql: { column: 'amount' } },
  stage: { kind: 'string', sql: { column: 'stage' } },
  tags: { kind: 'string_array', sql: { column: 'tags' } },
  'owner.name': { kind: 'string' },
};
const scope: RuleScope = { resolve: (path) => fields[path] };

function failure(rule: unknown, options = {}): CrmError {
  try {
    validateRule(rule, scope, options);
  } catch (error) {
    if (error instanceof CrmError) return error;
    throw error;
  }
  throw new Error('expected rule_invalid');
}

const reasons = (error: CrmError) => error.fields.map((f) => [f.path, String(f.params?.reason)]);

describe('validateRule', () => {
  it('accepts rules over known fields, item variables inside iterations and literal missing names', () => {
    const rule = {
      and: [
        { '>': [{ var: 'amount' }, 0] },
        { in: [{ var: 'stage' }, ['won', 'lost']] },
        { some: [{ var: 'tags' }, { '==': [{ var: '' }, 'vip'] }] },
        { reduce: [{ var: 'tags' }, { cat: [{ var: 'accumulator' }, { var: 'current' }] }, ''] },
        { missing: ['amount', 'owner.name'] },
        { missing_some: [1, ['amount', 'stage']] },
        { missing: { merge: ['amount', { if: [{ var: 'stage' }, ['tags'], []] }] } },
        { '==': [{ var: ['owner.name', 'nobody'] }, 'x'] },
      ],
    };
    expect(listRuleIssues(rule, scope)).toEqual([]);
    expect(() => validateRule(rule, scope)).not.toThrow();
  });

  it('reports an unknown operation with the JSON pointer of its object', () => {
    const error = failure({ and: [true, { '==': [{ foo: [1] }, 1] }] });
    expect(error.code).toBe('rule_invalid');
    expect(reasons(error)).toEqual([['/and/1/==/0', 'unknown operation "foo"']]);
    expect(error.fields[0]!.code).toBe('invalid');
    expect(reasons(failure({ log: 'x' }))).toEqual([['', 'unknown operation "log"']]);
    expect(reasons(failure({ method: ['x', 'toString'] }))).toEqual([['', 'unknown operation "method"']]);
  });

  it('reports unknown variables, also in missing and missing_some', () => {
    expect(reasons(failure({ '==': [{ var: 'amout' }, 1] }))).toEqual([['/==/0/var', 'unknown variable "amout"']]);
    expect(reasons(failure({ missing: ['amount', 'nope'] }))).toEqual([['/missing/1', 'unknown variable "nope"']]);
    expect(reasons(failure({ missing_some: [1, ['x']] }))).toEqual([['/missing_some/1/0', 'unknown variable "x"']]);
    expect(reasons(failure({ var: ['a/b~c'] }))).toEqual([['/var/0', 'unknown variable "a/b~c"']]);
  });

  it('refuses dynamic variable paths and the whole record at record level', () => {
    expect(reasons(failure({ var: { cat: ['am', 'ount'] } }))).toEqual([
      ['/var', 'the variable name must be a literal string, not an expression'],
    ]);
    expect(reasons(failure({ var: '' }))).toEqual([['/var', 'var needs the name of a field']]);
    expect(reasons(failure({ missing: { var: 'stage' } }))).toEqual([['/missing', 'missing and missing_some need literal field names']]);
  });

  it('refuses rules nested too deeply, with the path where the limit is crossed', () => {
    let rule: unknown = { var: 'amount' };
    for (let i = 0; i < 40; i++) rule = { '!': [rule] };
    const error = failure(rule);
    expect(error.fields).toHaveLength(1);
    expect(error.fields[0]!.path).toBe('/!/0'.repeat(32));
    expect(String(error.fields[0]!.params?.reason)).toBe('the rule is nested more than 32 levels deep');
    expect(reasons(failure({ '!': [{ '!': [true] }] }, { maxDepth: 2 }))).toEqual([['/!/0/!/0', 'the rule is nested more than 2 levels deep']]);
  });

  it('refuses rules with too many parts', () => {
    const rule = { and: Array.from({ length: 600 }, () => ({ '>': [{ var: 'amount' }, 1] })) };
    expect(reasons(failure(rule))).toEqual([['', 'the rule has more than 1000 parts']]);
    expect(reasons(failure({ and: [1, 2, 3, 4] }, { maxNodes: 3 }))).toEqual([['', 'the rule has more than 3 parts']]);
  });

  it('reports every problem at once, and values that are not JSON', () => {
    const error = failure({ and: [{ foo: 1 }, { var: 'nope' }, { '==': [Number.NaN, undefined] }] });
    expect(reasons(error)).toEqual([
      ['/and/0', 'unknown operation "foo"'],
      ['/and/1/var', 'unknown variable "nope"'],
      ['/and/2/==/0', 'is not a JSON value'],
      ['/and/2/==/1', 'is not a JSON value'],
    ]);
    expect(error.message).toContain('unknown operation "foo"');
  });
});
