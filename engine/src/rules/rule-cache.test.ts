import { describe, expect, it } from 'vitest';
import { cachedCondition, cachedRule } from './rule-cache';

describe('rule cache (rules carried in document copies)', () => {
  it('hands back the same function for the same rule text, and keeps rules JSON text confuses apart', () => {
    expect(cachedRule({ '+': [1, { var: 'a' }] })).toBe(cachedRule({ '+': [1, { var: 'a' }] }));
    // JSON.stringify writes -0 as 0: keyed by that text, the second rule would get the first's function.
    expect(cachedRule({ '/': [1, 0] })({})).toBe(Infinity);
    expect(cachedRule({ '/': [1, -0] })({})).toBe(-Infinity);
    expect(cachedRule({ var: 'x' })).not.toBe(cachedCondition({ var: 'x' }));
    expect(cachedCondition({ var: 'x' })({ x: 'yes' })).toBe(true);
  });

  it('does not keep a rule that fails to compile: it throws every time', () => {
    expect(() => cachedRule({ no_such_operation: [1] })).toThrow();
    expect(() => cachedRule({ no_such_operation: [1] })).toThrow();
  });
});
