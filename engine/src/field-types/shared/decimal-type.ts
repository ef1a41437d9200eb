import Decimal from 'decimal.js';
import type { DecimalLikeField, FieldDefinition } from '../../documents/types';
import type { FieldTypeModule, Normalized } from '../field-type';
import { storedInput } from './capabilities';
import { reason } from '../../errors';

type DecimalDef = DecimalLikeField<'decimal' | 'currency' | 'percent'>;

const NUMERIC_TEXT = '^\\s*[-+]?(\\d+\\.?\\d*|\\.\\d+)([eE][-+]?\\d+)?\\s*$';

interface DecimalSpec {
  readonly type: 'decimal' | 'currency' | 'percent';
  readonly defaultPrecision: number;
  readonly defaultScale: number;
  readonly widget: string;
  readonly extraProperties?: FieldTypeModule['definitionProperties'];
}

const PLAIN = /^(-?)(\d+)(?:\.(\d+))?$/;

/**
 * A plain decimal written as `-123.4` that fits precision and scale, as the fixed-scale text
 * PostgreSQL returns for numeric(p,s); undefined for anything else (exponents, signs, spaces,
 * too many digits), which takes the exact decimal.js path.
 */
function plainDecimal(value: unknown, precision: number, scale: number): string | undefined {
  const text = typeof value === 'number' ? (Number.isSafeInteger(value) ? String(value) : undefined) : (value as string);
  if (text === undefined) return undefined;
  const match = PLAIN.exec(text);
  if (!match) return undefined;
  const integer = match[2]!.replace(/^0+(?=\d)/, '');
  const fraction = match[3] ?? '';
  if (fraction.length > scale || (integer === '0' ? 0 : integer.length) > precision - scale) return undefined;
  const sign = match[1] && /[1-9]/.test(integer + fraction) ? '-' : '';
  return scale === 0 ? `${sign}${integer}` : `${sign}${integer}.${fraction.padEnd(scale, '0')}`;
}

export function precisionOf(def: FieldDefinition, spec: { defaultPrecision: number; defaultScale: number }): { precision: number; scale: number } {
  const d = def as DecimalDef;
  return { precision: d.precision ?? spec.defaultPrecision, scale: d.scale ?? spec.defaultScale };
}

/**
 * Exact decimals: values travel as strings and are checked digit by digit, so nothing is ever
 * rounded through a float. Numbers are accepted on input when they convert exactly.
 */
export function decimalType(spec: DecimalSpec): FieldTypeModule {
  return {
    type: spec.type,
    definitionProperties: {
      precision: { type: 'integer', minimum: 1, maximum: 38 },
      scale: { type: 'integer', minimum: 0, maximum: 18 },
      min: { anyOf: [{ type: 'number' }, { type: 'string', pattern: NUMERIC_TEXT }] },
      max: { anyOf: [{ type: 'number' }, { type: 'string', pattern: NUMERIC_TEXT }] },
      ...spec.extraProperties,
    },
    capabilities: storedInput,
    expected: 'a decimal number',
    storage(def) {
      const { precision, scale } = precisionOf(def, spec);
      return { kind: 'column', columnType: `numeric(${precision},${scale})` };
    },
    valueKind: () => 'number',
    inputSchema: () => ({ anyOf: [{ type: 'number' }, { type: 'string', pattern: NUMERIC_TEXT }] }),
    normalize(value, def): Normalized {
      const { precision, scale } = precisionOf(def, spec);
      const d = def as DecimalDef;
      const plain = plainDecimal(value, precision, scale);
      // Most input is a plain decimal within limits: padded to the scale by string work alone.
      if (plain !== undefined && d.min === undefined && d.max === undefined) return { ok: true, value: plain };
      let decimal: Decimal;
      try {
        decimal = new Decimal(typeof value === 'number' ? String(value) : (value as string).trim());
      } catch {
        return { ok: false, issue: { code: 'type', params: { expected: 'a decimal number' } } };
      }
      if (!decimal.isFinite()) return { ok: false, issue: { code: 'type', params: { expected: 'a finite decimal number' } } };
      const integerDigits = decimal.abs().trunc().isZero() ? 0 : decimal.abs().trunc().toFixed(0).length;
      if (decimal.decimalPlaces() > scale || integerDigits > precision - scale) {
        return { ok: false, issue: { code: 'precision', params: { integer_digits: precision - scale, scale } } };
      }
      if (d.min !== undefined && decimal.lessThan(new Decimal(String(d.min)))) {
        return { ok: false, issue: { code: 'minimum', params: { limit: String(d.min) } } };
      }
      if (d.max !== undefined && decimal.greaterThan(new Decimal(String(d.max)))) {
        return { ok: false, issue: { code: 'maximum', params: { limit: String(d.max) } } };
      }
      return { ok: true, value: decimal.toFixed(scale) };
    },
    output: (value) => value,
    // Rules follow json-logic-js, whose arithmetic is floating point.
    toRule: (value) => (value === null || value === undefined ? null : Number(value)),
    check(def) {
      const { precision, scale } = precisionOf(def, spec);
      const d = def as DecimalDef;
      const issues = [];
      if (scale > precision) issues.push({ path: 'scale', reason: reason('must_not_exceed', { other: 'precision' }) });
      if (d.min !== undefined && d.max !== undefined && new Decimal(String(d.min)).greaterThan(new Decimal(String(d.max)))) {
        issues.push({ path: 'min', reason: reason('must_not_exceed', { other: 'max' }) });
      }
      return issues;
    },
    describe(def) {
      const { precision, scale } = precisionOf(def, spec);
      const d = def as DecimalDef & { currency_code?: string };
      return {
        widget: spec.widget,
        valueKind: 'number',
        precision,
        scale,
        ...(d.min !== undefined ? { min: String(d.min) } : {}),
        ...(d.max !== undefined ? { max: String(d.max) } : {}),
        ...(d.currency_code ? { currencyCode: d.currency_code } : {}),
      };
    },
  };
}
