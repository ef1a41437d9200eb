import { isCrmError, type CrmError } from '@crm/engine';
import { describe, expect, it } from 'vitest';
import { compileQuerystringValidator, query, queryParameterObject, querystringSchema } from './query-parameters';

const validate = compileQuerystringValidator(
  querystringSchema({
    filter: query.json('A filter.'),
    limit: query.integer('Page size.', { type: 'integer', minimum: 1, maximum: 500 }),
    fields: query.list('Fields.'),
    count: query.boolean('Count them.'),
    cursor: query.string('Cursor.'),
  }),
);

function issuesOf(input: Record<string, unknown>) {
  const result = validate(input);
  if (!('error' in result)) return [];
  const error: CrmError = result.error;
  expect(isCrmError(error) && error.code).toBe('validation_failed');
  return error.fields.map(({ path, code, params }) => ({ path, code, params }));
}

describe('declared query parameters', () => {
  it('parses each value by its kind, leaving out the ones not given', () => {
    expect(validate({ filter: '{"==":[1,1]}', limit: '20', fields: 'a, b', count: '', cursor: 'x' })).toEqual({
      value: { filter: { '==': [1, 1] }, limit: 20, fields: ['a', 'b'], count: true, cursor: 'x' },
    });
    expect(validate({ count: '0' })).toEqual({ value: { count: false } });
    expect(validate({})).toEqual({ value: {} });
    expect(validate(null)).toEqual({ value: {} });
  });

  it('refuses malformed values and unknown names with the issues the API has always given, all at once, declared order first', () => {
    // Reasons are catalogue codes (en and zh-CN); their English is what the API has always said.
    const issues = issuesOf({ nope: '1', cursor: ['a', 'b'], count: 'yes', fields: 'a,,b', limit: '1e3', filter: '{' });
    expect(issues.map((i) => [i.path, i.code, i.params?.reason === undefined ? i.params : String(i.params.reason)])).toEqual([
      ['filter', 'invalid', 'is not valid JSON'],
      ['limit', 'type', { expected: 'a whole number' }],
      ['fields', 'invalid', 'has an empty term: name one value between every two commas'],
      ['count', 'type', { expected: 'true or false' }],
      ['cursor', 'invalid', 'appears more than once'],
      ['nope', 'invalid', 'is not a parameter of this route'],
    ]);
  });

  it('leaves ranges to the engine (the documented schema states them)', () => {
    expect(validate({ limit: '100000' })).toEqual({ value: { limit: 100000 } });
    expect(queryParameterObject('limit', query.integer('Page size.', { type: 'integer', maximum: 500 }))).toMatchObject({ in: 'query', schema: { maximum: 500 } });
    expect(queryParameterObject('fields', query.list('Fields.'))).toMatchObject({ style: 'form', explode: false });
  });

  it('refuses a querystring schema it did not make', () => {
    expect(() => compileQuerystringValidator({ type: 'object', properties: { a: { type: 'string' } } })).toThrow(/x-crm-query/);
  });
});
