import { describe, expect, it } from 'vitest';
import type { DecimalField } from '../../documents/types';
import { decimalFieldType } from '.';

const def: DecimalField = { name: 'amount', type: 'decimal', label: 'Amount', precision: 6, scale: 2 };
const normalize = (value: unknown, d: DecimalField = def) => decimalFieldType.normalize(value, d, { previous: undefined });

describe('decimal normalisation', () => {
  it('pads to the scale exactly, by the fast path and the decimal.js path alike', () => {
    const cases: [unknown, string][] = [
      ['0', '0.00'],
      ['-0', '0.00'],
      ['-0.00', '0.00'],
      ['00012.5', '12.50'],
      ['1234.56', '1234.56'],
      ['-9999.99', '-9999.99'],
      [5, '5.00'],
      [0.1, '0.10'],
      ['1e3', '1000.00'],
      [' 7.5 ', '7.50'],
      ['.5', '0.50'],
      ['+3', '3.00'],
    ];
    for (const [input, expected] of cases) expect(normalize(input), String(input)).toEqual({ ok: true, value: expected });
    // The same inputs with min/max set go through decimal.js only, and must agree.
    for (const [input, expected] of cases) expect(normalize(input, { ...def, min: -10000, max: 10000 }), String(input)).toEqual({ ok: true, value: expected });
  });

  it('refuses digits it cannot hold instead of rounding', () => {
    for (const input of ['12.345', '10000.00', '99999999', 1.005, '1e5']) {
      expect(normalize(input), String(input)).toMatchObject({ ok: false, issue: { code: 'precision' } });
    }
    expect(normalize('5', { ...def, min: 10 })).toMatchObject({ ok: false, issue: { code: 'minimum' } });
  });
});
