import jsonLogic from 'json-logic-js';
import { describe, expect, it } from 'vitest';
import { systemActor } from '../actors';
import { uniqueName, useTestEngine } from '../testing';
import { filterTranslations } from './filter-statement';
import { filterShape, numberClass, probeNumber } from './filter-shapes';
import type { RecordData } from './representation';

const harness = useTestEngine();

describe('filter shapes', () => {
  it('take out the numbers compared with a field read, by class, and nothing else', () => {
    const shape = filterShape({ and: [{ '>': [{ var: 'amount' }, 90_000] }, { '<=': [2.5, { var: 'score' }] }, { '==': [{ var: 'stage' }, 'won'] }] });
    expect(shape?.numbers).toEqual([90_000, 2.5]);
    expect(filterShape({ and: [{ '>': [{ var: 'amount' }, 1] }, { '<=': [7.25, { var: 'score' }] }, { '==': [{ var: 'stage' }, 'won'] }] })?.key).toBe(shape?.key);
    // Another class, another shape: the SQL binds it otherwise.
    expect(filterShape({ and: [{ '>': [{ var: 'amount' }, 1.5] }, { '<=': [7.25, { var: 'score' }] }, { '==': [{ var: 'stage' }, 'won'] }] })?.key).not.toBe(shape?.key);
    expect(filterShape({ '>': [{ var: 'amount' }, -3] })?.key).not.toBe(filterShape({ '>': [{ var: 'amount' }, 3] })?.key);
    // Not compared with a plain field read, zero, strings, three-way comparisons: left in the shape (none here).
    for (const filter of [{ '>': [{ '+': [{ var: 'a' }, 1] }, 2] }, { '>': [{ var: 'a' }, 0] }, { '>': [{ var: 'a' }, '5'] }, { '<': [1, { var: 'a' }, 3] }, { '>': [{ var: ['a', 1] }, 2] }, { '>': [3, 2] }]) {
      expect(filterShape(filter), JSON.stringify(filter)).toBeUndefined();
    }
    expect(numberClass(2 ** 31)).toBe('f+');
    expect(numberClass(-(2 ** 31) + 1)).toBe('i-');
    for (const value of [1, 2 ** 31 - 1, -1, 2.5, -0.001, 2 ** 53, 1e300]) {
      const probe = probeNumber(value);
      expect(probe, String(value)).not.toBe(value);
      expect(numberClass(probe!), String(value)).toBe(numberClass(value));
    }
  });

  it('translate a shape once, and filters of that shape find what json-logic-js finds', async () => {
    const { engine } = harness();
    const name = uniqueName('deal');
    await engine.objects.create(systemActor, {
      name,
      label: 'Deal',
      title_field: 'title',
      fields: [
        { name: 'title', type: 'text', label: 'Title' },
        { name: 'score', type: 'integer', label: 'Score' },
        { name: 'amount', type: 'decimal', label: 'Amount' },
        { name: 'since', type: 'date', label: 'Since' },
        { name: 'flag', type: 'boolean', label: 'Flag' },
      ],
    });
    const rows: RecordData[] = [];
    for (let i = 0; i < 16; i++) {
      rows.push(
        await engine.records.create(systemActor, name, {
          title: i % 5 === 0 ? null : String(i * 3 - 10),
          score: i % 4 === 0 ? null : i * 7 - 40,
          amount: i % 3 === 0 ? null : `${i * 1.5 - 6}`,
          since: `2024-01-${String(i + 10)}`,
          flag: i % 2 === 0,
        }),
      );
    }
    const expected = (filter: unknown) => rows.filter((r) => jsonLogic.truthy(jsonLogic.apply(filter as jsonLogic.RulesLogic, r))).map((r) => r.id).sort();
    const run = async (filter: unknown) => (await engine.records.list(systemActor, name, { filter, limit: 100 })).data.map((r) => r.id).sort();
    const shapes: ((n: number) => unknown)[] = [
      (n) => ({ '>': [{ var: 'score' }, n] }),
      (n) => ({ '<=': [n, { var: 'amount' }] }),
      (n) => ({ and: [{ '>=': [{ var: 'score' }, n] }, { '<': [{ var: 'amount' }, 9] }] }),
      (n) => ({ '==': [{ var: 'title' }, n] }),
      (n) => ({ '!=': [{ var: 'flag' }, n] }),
      (n) => ({ '===': [{ var: 'score' }, n] }),
      // Folded (a date is never a number): not a shape that binds its number, translated each time.
      (n) => ({ '<': [{ var: 'since' }, n] }),
    ];
    const perClass = [
      [5, 12, 1, 30],
      [-5, -12, -1, -40],
      // Numbers that bind as numeric: fractions, and integers beyond int4.
      [2.5, 7.5, 2 ** 31, 0.25, 2 ** 40],
      [-2.5, -0.5, -(2 ** 31), -7.25],
    ];
    for (const shape of shapes) {
      for (const numbers of perClass) {
        const before = filterTranslations();
        for (const n of numbers) expect(await run(shape(n)), JSON.stringify(shape(n))).toEqual(expected(shape(n)));
        // The first filter and the shape's check; later ones bind their numbers.
        if (shape !== shapes.at(-1)) expect(filterTranslations() - before, JSON.stringify(shape(numbers[0]!))).toBe(2);
      }
    }
  });
});
