import jsonLogic from 'json-logic-js';
import { describe, expect, it } from 'vitest';
import { isCrmError } from '../errors';
import { compileCondition, compileRule, truthy } from './compile-js';

describe('compileRule', () => {
  it('reads own properties only, unlike json-logic-js (deliberate difference)', () => {
    expect(jsonLogic.apply({ var: 'constructor' }, {})).toBe(Object);
    expect(compileRule({ var: 'constructor' })({})).toBeNull();
    expect(compileRule({ var: 'a.toString' })({ a: {} })).toBeNull();
    expect(compileRule({ var: '__proto__' })({})).toBeNull();
    expect(compileRule({ var: ['constructor', 'none'] })({})).toBe('none');
    expect(compileRule({ var: [{ cat: ['const', 'ructor'] }] })({})).toBeNull();
    expect(compileRule({ missing: ['constructor'] })({})).toEqual(['constructor']);
    // Own properties of arrays and strings still count.
    expect(compileRule({ var: 'length' })(['a', 'b'])).toBe(2);
    expect(compileRule({ var: 'name.length' })({ name: 'abc' })).toBe(3);
    expect(compileRule({ var: 'a.constructor' })({ a: { constructor: 5 } })).toBe(5);
    // Objects that do not inherit from Object.prototype are checked the slow way.
    const inherited = Object.create({ amount: 5 }) as object;
    expect(compileRule({ var: 'amount' })(inherited)).toBeNull();
    expect(compileRule({ var: 'amount' })(Object.assign(Object.create(null) as object, { amount: 7 }))).toBe(7);
  });

  it('refuses unknown operations when compiling, not when evaluation reaches them (deliberate difference)', () => {
    expect(jsonLogic.apply({ if: [true, 1, { nope: [] }] })).toBe(1);
    for (const rule of [{ if: [true, 1, { nope: [] }] }, { log: 'x' }, { method: ['abc', 'toUpperCase'] }, { 'if.x': [] }]) {
      try {
        compileRule(rule);
        expect.unreachable();
      } catch (error) {
        expect(isCrmError(error, 'rule_invalid')).toBe(true);
      }
    }
  });

  it('never turns rule text into code', () => {
    const nasty = '"); globalThis.__pwned = true; ("';
    const rules = [
      { var: nasty },
      { '==': [{ var: `a.${nasty}` }, nasty] },
      { in: [nasty, [nasty, '`${1}`']] },
      { cat: [nasty, '\u2028\u2029', '</script>'] },
      { missing: [nasty] },
      { [nasty]: 1, other: 2 },
      { var: '\\"' },
    ];
    for (const rule of rules) {
      const compiled = compileRule(rule);
      expect(compiled({ [nasty]: 1, a: { [nasty]: nasty } })).toEqual(jsonLogic.apply(rule as never, { [nasty]: 1, a: { [nasty]: nasty } }));
    }
    expect((globalThis as { __pwned?: boolean }).__pwned).toBeUndefined();
  });

  it('keeps json-logic-js arithmetic: parseFloat for + and *, Infinity for division by zero, -0 kept', () => {
    const cases: [unknown, unknown][] = [
      [{ '+': ['3.5abc', ' 2'] }, {}],
      [{ '*': ['2', '0x10'] }, {}],
      [{ '*': ['7'] }, {}],
      [{ '/': [1, 0] }, {}],
      [{ '/': [1, { '*': [-1, 0, 5] }] }, {}],
      [{ '/': [1, { '-': [0] }] }, {}],
      [{ '-': [{ var: 'x' }] }, { x: '' }],
      [{ '+': [] }, {}],
      [{ min: [] }, {}],
      [{ max: [null, -1] }, {}],
    ];
    for (const [rule, data] of cases) {
      expect(Object.is(compileRule(rule)(data), jsonLogic.apply(rule as never, data)), JSON.stringify(rule)).toBe(true);
    }
    expect(() => compileRule({ '*': [] })({})).toThrow(TypeError);
  });

  it('returns literal objects as one frozen copy, keeping "__proto__" an own key', () => {
    const rule = JSON.parse('{"a": 1, "__proto__": {"b": 2}}') as object;
    const result = compileRule(rule)({}) as Record<string, unknown>;
    expect(Object.isFrozen(result)).toBe(true);
    expect(Object.keys(result)).toEqual(['a', '__proto__']);
    expect(Object.getPrototypeOf(result)).toBe(Object.prototype);
  });

  it('evaluates keys that missing computes at run time the way json-logic-js does', () => {
    const rule = { missing: { var: 'keys' } };
    for (const keys of [['a', 'b'], [['a', 1]], [{ cat: ['a'] }], 'a']) {
      const data = { keys, a: null };
      expect(compileRule(rule)(data)).toEqual(jsonLogic.apply(rule, data));
    }
  });
});

describe('truthy and compileCondition', () => {
  it('treat empty arrays as false and everything else as JavaScript does', () => {
    expect([[], [0], '', '0', 0, NaN, null, undefined, {}, false].map(truthy)).toEqual([
      false, true, false, true, false, false, false, false, true, false,
    ]);
    expect(compileCondition({ and: [[1], { var: 'list' }] })({ list: [] })).toBe(false);
    expect(compileCondition({ or: [{ var: 'list' }, 0] })({ list: [1] })).toBe(true);
  });
});
