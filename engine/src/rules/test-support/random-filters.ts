import { CONTEXT_NAMES, COLUMN_NAMES, COMPUTED_NAMES, NOW, STRINGS, TODAY, USER_ID } from './rules-test-table';
import type { Random } from './random';

/**
 * Random filters over the SQL subset for the equivalence tests: comparisons of every kind with
 * every other and with tricky literals, nested !/!!/and/or/if, in, missing, truthiness, and the
 * optional value operations (+ - * min max cat lower, if/and/or as values).
 */
const NUMBERS = [0, -0, 1, -1, 2.5, 7, 10, 100, 1e21, -7.25, 0.1, 0.30000000000000004, 9007199254740991, 1e-7, 11];
const LITERALS: readonly unknown[] = [
  ...NUMBERS, ...STRINGS.filter((s) => s !== null), null, true, false,
  '2024-01-06', '2024-1-5', '2024-01-05T10:00:00.123Z', '2024-01-05T10:00:00Z', '1999-12-31T23:59:59.999Z',
  '2024-01-05T10:00:00.000Z', USER_ID.toUpperCase(), '00000000-0000-0000-0000-000000000000', NOW, TODAY,
  ['a'], ['a', 'b'], [], [10], ['x,y'], {},
];
const COMPARISONS = ['==', '===', '!=', '!==', '<', '<=', '>', '>='] as const;
const ALL_NAMES = [...COLUMN_NAMES, ...COLUMN_NAMES, ...CONTEXT_NAMES, ...COMPUTED_NAMES];

export function randomFilter(r: Random, depth = 0): unknown {
  const roll = r.next();
  if (depth < 3 && roll < 0.3) {
    const op = r.pick(['and', 'or', '!', '!!', 'if', '?:', 'and', 'or'] as const);
    if (op === '!' || op === '!!') return r.chance(0.5) ? { [op]: randomFilter(r, depth + 1) } : { [op]: [randomFilter(r, depth + 1)] };
    if (op === 'if' || op === '?:') {
      const n = 1 + r.int(5);
      return { [op]: Array.from({ length: n }, () => randomFilter(r, depth + 1)) };
    }
    return { [op]: Array.from({ length: 1 + r.int(3) }, () => randomFilter(r, depth + 1)) };
  }
  if (roll < 0.65) {
    const op = r.pick(COMPARISONS);
    if ((op === '<' || op === '<=') && r.chance(0.15)) return { [op]: [operand(r, depth), operand(r, depth), operand(r, depth)] };
    return { [op]: [operand(r, depth), operand(r, depth)] };
  }
  if (roll < 0.8) return membership(r, depth);
  if (roll < 0.85) return { missing: Array.from({ length: 1 + r.int(3) }, () => r.pick(ALL_NAMES)) };
  if (roll < 0.87) return { missing_some: [r.int(3), Array.from({ length: 1 + r.int(3) }, () => r.pick(ALL_NAMES))] };
  if (roll < 0.93) {
    const over = { var: r.pick(['tags', 'tags', 'same_tags', '$tags', 's', 'n']) };
    return { [r.pick(['some', 'all', 'none'] as const)]: [over, itemFilter(r, 0)] };
  }
  return operand(r, depth);
}

/** Logic over one multiselect item: {"var": ""} is the item (a string). */
function itemFilter(r: Random, depth: number): unknown {
  const item = () => (r.chance(0.85) ? { var: '' } : { var: r.pick(['x', 'a.b']) });
  const roll = r.next();
  if (depth < 2 && roll < 0.25) {
    const op = r.pick(['and', 'or', '!'] as const);
    return op === '!' ? { '!': itemFilter(r, depth + 1) } : { [op]: [itemFilter(r, depth + 1), itemFilter(r, depth + 1)] };
  }
  if (roll < 0.75) return { [r.pick(COMPARISONS)]: r.chance(0.5) ? [item(), literal(r)] : [literal(r), item()] };
  if (roll < 0.9) return { in: [item(), r.chance(0.5) ? ['a', 'vip', '10', null] : 'avip,x'] };
  return item();
}

/**
 * A literal as a rule parsed from JSON holds it: arrays and objects are fresh values, never one
 * shared instance (json-logic-js's `in` compares by identity, so a shared `{}` would match itself).
 */
function literal(r: Random): unknown {
  const value = r.pick(LITERALS);
  return typeof value === 'object' && value !== null ? structuredClone(value) : value;
}

function variable(r: Random): unknown {
  return { var: r.pick(ALL_NAMES) };
}

function operand(r: Random, depth: number): unknown {
  const roll = r.next();
  if (roll < 0.5) return variable(r);
  if (roll < 0.8) return literal(r);
  if (depth >= 2) return variable(r);
  if (roll < 0.82) return { [r.pick(['+', '-', '*', 'min', 'max'] as const)]: [operand(r, depth + 1), operand(r, depth + 1)] };
  if (roll < 0.85) return { lower: operand(r, depth + 1) };
  if (roll < 0.87) return { cat: [operand(r, depth + 1), literal(r), operand(r, depth + 1)] };
  if (roll < 0.91) return { if: [randomFilter(r, depth + 1), sameTypePair(r)[0], sameTypePair(r)[1]] };
  if (roll < 0.94) {
    const [a, b] = sameTypePair(r);
    return { [r.pick(['and', 'or'] as const)]: [a, b] };
  }
  if (roll < 0.97) return randomFilter(r, depth + 1);
  return { '-': [operand(r, depth + 1)] };
}

/** Two values of one type, so that value-level if/and/or stay translatable most of the time. */
function sameTypePair(r: Random): [unknown, unknown] {
  const pairs: [unknown, unknown][] = [
    [{ var: 'n' }, 5], [{ var: 's' }, 'abc'], [{ var: 'b' }, true], [{ var: 'd' }, TODAY],
    [{ var: 'd' }, '2024-1-5'], [{ var: 'ts' }, NOW], [{ var: 'big' }, { var: 'f' }], [{ var: 's' }, { var: 's2' }],
    [null, { var: 'n' }], [{ var: 'u' }, USER_ID], [{ var: 'total' }, 1], [{ var: 'full_name' }, ''],
  ];
  return r.pick(pairs);
}

function membership(r: Random, depth: number): unknown {
  const roll = r.next();
  const list = () => Array.from({ length: r.int(5) }, () => (r.chance(0.15) ? variable(r) : literal(r)));
  if (roll < 0.3) return { in: [operand(r, depth), list()] };
  if (roll < 0.47) return { in: [operand(r, depth), r.pick(STRINGS.filter((s) => s !== null) as string[])] };
  if (roll < 0.7) return { in: [operand(r, depth), { var: r.pick(['tags', 'same_tags', '$tags']) }] };
  if (roll < 0.85) return { in: [operand(r, depth), { var: r.pick(['s', 's2', 'd', 'ts', 'u', 'n', 'b', 'full_name']) }] };
  // The list UI's case-insensitive "contains": a lower-case needle in a folded value.
  const needle = r.pick(['a', 'abc', 'acme', 'é', 'É', 'istanbul', 'hx', '1', 'vip', 'null', 'nan', 'true', 'a,b', '-']);
  return { in: [needle, { lower: { var: r.pick(['s', 's2', 'd', 'ts', 'u', 'n', 'f', 'b', 'tags', 'full_name', 'band']) } }] };
}
