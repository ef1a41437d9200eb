import { describe, expect, it } from 'vitest';
import { CrmError } from '../../errors';
import { testScope } from '../test-support/rules-test-table';
import { compileFilterToSql, compileValueToSql } from './compile-filter';

function refusal(run: () => unknown): CrmError {
  try {
    run();
  } catch (error) {
    if (error instanceof CrmError) return error;
    throw error;
  }
  throw new Error('expected an error');
}

const filter = (rule: unknown) => refusal(() => compileFilterToSql(rule, testScope));

describe('rules outside the SQL subset', () => {
  it.each([
    ['reduce', { '>': [{ reduce: [{ var: 'tags' }, { '+': [{ var: 'accumulator' }, 1] }, 0] }, 1] }],
    ['map', { in: ['a', { map: [{ var: 'tags' }, { var: '' }] }] }],
    ['filter', { filter: [{ var: 'tags' }, true] }],
    ['reduce', { some: [{ var: 'tags' }, { reduce: [{ var: '' }, true] }] }],
    ['merge', { in: ['a', { merge: [{ var: 'tags' }, ['b']] }] }],
    ['substr', { '==': [{ substr: [{ var: 's' }, 1] }, 'bc'] }],
    ['/', { '>': [{ '/': [{ var: 'n' }, 2] }, 1] }],
    ['%', { '%': [{ var: 'n' }, 2] }],
  ])('refuses "%s", naming the operation', (operation, rule) => {
    const error = filter(rule);
    expect(error.code).toBe('filter_not_translatable');
    expect(String(error.params.reason)).toBe(`operation "${operation}" cannot run in SQL`);
    expect(error.message).toContain(`operation "${operation}" cannot run in SQL`);
  });

  it('refuses what it cannot make exact, saying why', () => {
    expect(String(filter({ '<': [{ var: 'j' }, 1] }).params.reason)).toBe('operation "<" cannot compare a json value in SQL');
    expect(String(filter({ '==': [{ '*': [] }, 1] }).params.reason)).toBe('operation "*" without arguments throws in json-logic-js');
    expect(String(filter({ '==': [{ if: [{ var: 'b' }, 1, 'one'] }, 1] }).params.reason)).toBe(
      'operation "if" chooses between values of different types, which SQL cannot',
    );
    expect(String(filter({ '==': [{ missing: ['s'] }, 's'] }).params.reason)).toBe('operation "missing" can only be used as a condition in SQL');
    expect(String(filter({ '==': [[{ var: 's' }], 'x'] }).params.reason)).toBe('arrays built from values cannot run in SQL');
    expect(String(filter({ in: ['a', { lower: { var: 'j' } }] }).params.reason)).toBe('operation "lower" cannot format a json value in SQL');
    expect(String(refusal(() => compileValueToSql({ and: [] }, testScope)).params.reason)).toBe('operation "and" without arguments has no value in SQL');
    expect(String(filter({ some: [{ var: 'tags' }, { '>': [{ var: 'length' }, 1] }] }).params.reason)).toBe('"length" of an array item cannot be read in SQL');
    expect(String(filter({ some: [{ var: 'tags' }, { missing: ['x'] }] }).params.reason)).toBe('operation "missing" cannot run inside some/all/none in SQL');
  });

  it('refuses variables the database cannot see, and computed fields that depend on themselves', () => {
    expect(String(filter({ '==': [{ var: 'in_memory_only' }, 'x'] }).params.reason)).toBe('variable "in_memory_only" is not available in SQL');
    expect(String(filter({ '==': [{ var: 'loop_a' }, 'x'] }).params.reason)).toBe('computed field "loop_a" depends on itself (loop_a -> loop_b -> loop_a)');
  });

  it('reports invalid rules as rule_invalid before trying to translate them', () => {
    const error = filter({ and: [{ reduce: [] }, { '==': [{ var: 'nope' }, 1] }, { log: 1 }] });
    expect(error.code).toBe('rule_invalid');
    expect(error.fields.map((f) => String(f.params?.reason))).toEqual(['unknown variable "nope"', 'unknown operation "log"']);
  });
});
