import jsonLogic from 'json-logic-js';
import type { ConformanceCase } from './conformance-cases';

/**
 * json-logic-js taught `lower`, the one operation this project adds (rules/README.md
 * "Operations"), so the differential and SQL tests have a reference for it too. Written apart
 * from js-runtime's asciiLower on purpose (a second implementation of the same definition):
 * null and undefined give null, anything else String(value) with only A-Z lower-cased.
 */
jsonLogic.add_operation('lower', (value: unknown) => (value === null || value === undefined ? null : String(value).replace(/[A-Z]+/g, (run) => run.toLowerCase())));

export { jsonLogic as referenceJsonLogic };

const c = (name: string, rule: unknown, data: unknown, expected: unknown): ConformanceCase => ({ name, rule, data, expected });
const contains = (needle: string) => ({ in: [needle, { lower: { var: 'name' } }] });
const startsWith = (prefix: string, successor: string) => ({ and: [{ '<=': [prefix, { lower: { var: 'name' } }] }, { '<': [{ lower: { var: 'name' } }, successor] }] });

/** What `lower` must give, beside the shared suites: its definition case by case, and the filter forms the list UI writes. */
export const LOWER_CASES: readonly ConformanceCase[] = [
  c('folds ASCII letters', { lower: 'ACME Corp' }, null, 'acme corp'),
  c('every ASCII capital and its neighbours', { lower: '@ABCDEFGHIJKLMNOPQRSTUVWXYZ[`{' }, null, '@abcdefghijklmnopqrstuvwxyz[`{'),
  c('leaves non-ASCII letters as they are', { lower: 'ÉCOLE Ä Ωmega İ ẞ ＡＢＣ' }, null, 'École Ä Ωmega İ ẞ ＡＢＣ'),
  c('Chinese has no case', { lower: '华信 HX' }, null, '华信 hx'),
  c('null stays null', { lower: null }, null, null),
  c('an absent variable is null', { lower: { var: 'name' } }, {}, null),
  c('a null variable is null', { lower: { var: 'name' } }, { name: null }, null),
  c('no argument is null', { lower: [] }, null, null),
  c('only the first argument counts', { lower: ['AB', 'CD'] }, null, 'ab'),
  c('numbers as String() writes them', { lower: 1e21 }, null, '1e+21'),
  c('booleans', { lower: false }, null, 'false'),
  c('arrays as their join(",")', { lower: [['A', null, 'B']] }, null, 'a,,b'),
  c('objects as String() writes them', { lower: { var: 'o' } }, { o: { a: 1 } }, '[object object]'),
  c('composes with cat', { cat: [{ lower: 'X' }, { lower: null }, '-'] }, null, 'x-'),
  c('contains, any case', contains('acme'), { name: 'ACME Corp' }, true),
  c('contains, missing', contains('acme'), { name: 'Globex' }, false),
  c('an empty field contains nothing', contains('nu'), { name: null }, false),
  c('an absent field contains nothing', contains('nu'), {}, false),
  c('an empty string contains nothing', contains(''), { name: '' }, false),
  c('not contains keeps empty fields', { '!': contains('acme') }, { name: null }, true),
  c('starts with, any case', startsWith('ac', 'ad'), { name: 'ACME' }, true),
  c('starts with, other prefix', startsWith('ac', 'ad'), { name: 'ABC' }, false),
  c('starts with, null', startsWith('ac', 'ad'), { name: null }, false),
  c('equality after folding', { '==': [{ lower: { var: 'name' } }, 'hello'] }, { name: 'HeLLo' }, true),
  c('null is not "null"', { '==': [{ lower: { var: 'name' } }, 'null'] }, { name: null }, false),
];
