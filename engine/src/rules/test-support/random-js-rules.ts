import type { Random } from './random';

/**
 * Random rules over the whole operation set and random JSON data, for differential testing of
 * the JavaScript compiler against json-logic-js.
 */
const SCALARS: readonly unknown[] = [
  null, true, false, 0, -0, 1, -1, 2, 2.5, -7.25, 10, 100, 1e21, 0.1, '', '0', '1', '10', ' 7 ', 'abc', '0x1A',
  '1e3', '-2', 'Infinity', 'true', 'null', 'a', 'b', 'apple', 'a,b', 'ABC', 'Apple', 'ÉCOLE', '华信HX',
];
const KEYS = ['a', 'b', 'c', 'x', '0', '1', 'length', 'current', 'accumulator', 'qty'] as const;
const PATHS = ['a', 'b', 'c', 'x', 'a.b', 'a.0', 'b.c', '0', '1', 'length', 'a.length', 'x.y.z', '', 'qty'] as const;
const ITEM_PATHS = ['', 'current', 'accumulator', 'qty', 'a', '0', 'current.qty'] as const;
const OPERATIONS = [
  'var', 'missing', 'missing_some', 'if', '?:', '==', '===', '!=', '!==', '!', '!!', 'or', 'and',
  '<', '<=', '>', '>=', 'max', 'min', '+', '-', '*', '/', '%', 'cat', 'substr', 'in', 'merge',
  'map', 'filter', 'reduce', 'all', 'none', 'some', 'lower',
] as const;

export function randomData(r: Random, depth = 0): unknown {
  const roll = r.next();
  if (depth > 2 || roll < 0.45) return r.pick(SCALARS);
  if (roll < 0.7) return Array.from({ length: r.int(4) }, () => randomData(r, depth + 1));
  const out: Record<string, unknown> = {};
  for (let i = r.int(5); i > 0; i--) out[r.pick(KEYS)] = randomData(r, depth + 1);
  return out;
}

export function randomRule(r: Random, depth = 0, inItem = false): unknown {
  if (depth > 4 || r.chance(0.25)) return leaf(r, inItem);
  const op = r.pick(OPERATIONS);
  const sub = () => randomRule(r, depth + 1, inItem);
  const args = (min: number, max: number) => Array.from({ length: min + r.int(max - min + 1) }, sub);
  switch (op) {
    case 'var':
      return variable(r, inItem, r.chance(0.2) ? sub() : undefined);
    case 'missing':
      return { missing: r.chance(0.5) ? [r.pick(PATHS), r.pick(PATHS)] : r.chance(0.5) ? r.pick(PATHS) : [[r.pick(PATHS)]] };
    case 'missing_some':
      return { missing_some: [r.int(3), [r.pick(PATHS), r.pick(PATHS), r.pick(PATHS)]] };
    case 'map':
    case 'filter':
    case 'all':
    case 'none':
    case 'some':
      return { [op]: [variable(r, inItem), randomRule(r, depth + 1, true)] };
    case 'reduce':
      return { reduce: [variable(r, inItem), randomRule(r, depth + 1, true), r.chance(0.7) ? sub() : undefined].filter((x) => x !== undefined) };
    case '!':
    case '!!':
      return r.chance(0.3) ? { [op]: sub() } : { [op]: args(0, 2) };
    case 'if':
    case '?:':
    case 'and':
    case 'or':
    case 'cat':
    case 'max':
    case 'min':
    case '+':
    case '*':
    case 'merge':
      return { [op]: args(0, 5) };
    case '<':
    case '<=':
      return { [op]: args(1, 3) };
    case 'in':
      return { in: [sub(), r.chance(0.5) ? [r.pick(SCALARS), r.pick(SCALARS), sub()] : sub()] };
    default:
      return { [op]: args(1, 3) };
  }
}

function leaf(r: Random, inItem: boolean): unknown {
  const roll = r.next();
  if (roll < 0.5) return variable(r, inItem);
  if (roll < 0.9) return r.pick(SCALARS);
  return [r.pick(SCALARS), r.pick(SCALARS)];
}

function variable(r: Random, inItem: boolean, fallback?: unknown): unknown {
  const path = inItem && r.chance(0.7) ? r.pick(ITEM_PATHS) : r.pick(PATHS);
  const shape = r.next();
  if (fallback !== undefined) return { var: [path, fallback] };
  if (shape < 0.6) return { var: path };
  if (shape < 0.9) return { var: [path] };
  return { var: [{ cat: [path] }] };
}
