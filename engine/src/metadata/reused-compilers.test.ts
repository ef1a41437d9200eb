import { describe, expect, it } from 'vitest';
import { countingCompilers } from '../testing/counting-compilers';
import { reusingCompilers } from './reused-compilers';

describe('compilers reused across revisions', () => {
  it('hands back the function compiled for the same rule text, kept apart by mode and by -0', () => {
    const { compilers, rules } = countingCompilers();
    const reused = reusingCompilers(compilers);
    const first = reused.rule({ '*': [{ var: 'a' }, 2] }, 'value');
    // Another revision's document: an equal rule, not the same object.
    expect(reused.rule({ '*': [{ var: 'a' }, 2] }, 'value')).toBe(first);
    expect(rules.length).toBe(1);
    expect(first({ a: 3 })).toBe(6);
    expect(reused.rule({ '*': [{ var: 'a' }, 2] }, 'boolean')).not.toBe(first);
    const zero = reused.rule({ '/': [1, 0] }, 'value');
    const negativeZero = reused.rule({ '/': [1, -0] }, 'value');
    expect(negativeZero).not.toBe(zero);
    expect(negativeZero()).toBe(-Infinity);
    expect(rules.length).toBe(4);
  });

  it('hands back the validator compiled for the same schema text, and it still validates', () => {
    const { compilers, schemas } = countingCompilers();
    const reused = reusingCompilers(compilers);
    const schema = () => ({ type: 'object', properties: { n: { type: 'integer' } }, additionalProperties: false });
    const validate = reused.schema(schema());
    expect(reused.schema(schema())).toBe(validate);
    expect(schemas.length).toBe(1);
    expect(validate({ n: 1 })).toBe(true);
    expect(validate({ n: 'x' })).toBe(false);
    expect(validate.errors?.[0]?.instancePath).toBe('/n');
  });

  it('keeps nothing that failed to compile: it fails again the next time', () => {
    const { compilers, rules } = countingCompilers();
    const reused = reusingCompilers(compilers);
    const unknown = { no_such_operation: [1] };
    expect(() => reused.rule(unknown, 'value')).toThrow();
    expect(() => reused.rule(unknown, 'value')).toThrow();
    expect(rules.length).toBe(2);
  });

  it('forgets the least recently used beyond its limits', () => {
    const { compilers, rules } = countingCompilers();
    const reused = reusingCompilers(compilers, { rules: 2, schemas: 1 });
    reused.rule({ var: 'a' }, 'value');
    reused.rule({ var: 'b' }, 'value');
    reused.rule({ var: 'a' }, 'value');
    reused.rule({ var: 'c' }, 'value');
    expect(rules.length).toBe(3);
    reused.rule({ var: 'b' }, 'value');
    expect(rules.length).toBe(4);
    reused.rule({ var: 'c' }, 'value');
    expect(rules.length).toBe(4);
  });
});
