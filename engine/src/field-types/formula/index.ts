import type { FormulaField } from '../../documents/types';
import type { ValueKind } from '../../rules/scope';
import type { FieldTypeModule } from '../field-type';

const KIND: Record<FormulaField['result_type'], ValueKind> = {
  text: 'string',
  number: 'number',
  boolean: 'boolean',
  date: 'date',
  datetime: 'datetime',
};

/**
 * A JSON-Logic expression over the record, computed whenever the record is read (so adding or
 * changing a formula never touches stored rows). Filters and sorts substitute the expression.
 */
export const formulaType: FieldTypeModule<FormulaField> = {
  type: 'formula',
  definitionProperties: {
    expression: {},
    result_type: { enum: ['text', 'number', 'boolean', 'date', 'datetime'] },
    scale: { type: 'integer', minimum: 0, maximum: 12 },
    // A number result that is money (amount x probability): shown in this currency.
    currency_code: { type: 'string', pattern: '^[A-Z]{3}$' },
  },
  requiredProperties: ['expression', 'result_type'],
  capabilities: {
    input: false,
    sortable: true,
    filterable: true,
    searchable: false,
    unique: false,
    indexable: false,
    defaultable: false,
    requirable: false,
  },
  nameable: true,
  expected: 'nothing (it is computed)',
  storage: () => ({ kind: 'virtual' }),
  valueKind: (def) => KIND[def.result_type],
  inputSchema: () => ({ not: {} }),
  normalize: (value) => ({ ok: true, value }),
  output: (value, def) => castFormulaResult(value, def),
  toRule: (value) => value,
  computed: (def) => ({ kind: 'expression', expression: def.expression }),
  renamed: (def, rename) => (rename.kind === 'field' && rename.own ? { ...def, expression: rename.renameVars(def.expression) } : def),
  describe: (def) => ({ widget: 'formula', valueKind: KIND[def.result_type], resultType: def.result_type, ...numberDisplay(def), readOnly: true }),
};

/** How a number result reads: with its scale, as money when it has a currency. */
function numberDisplay(def: FormulaField): Record<string, unknown> {
  if (def.result_type !== 'number') return {};
  const scale = def.scale ?? 2;
  return def.currency_code ? { display: 'currency', currencyCode: def.currency_code, scale } : { display: 'decimal', scale };
}

/** The raw result of the expression, shaped to the declared result type (null when it does not fit). */
export function castFormulaResult(value: unknown, def: FormulaField): unknown {
  if (value === null || value === undefined) return null;
  switch (def.result_type) {
    case 'text':
      return typeof value === 'object' ? JSON.stringify(value) : String(value);
    case 'number': {
      const n = typeof value === 'number' ? value : Number(value);
      if (!Number.isFinite(n)) return null;
      const f = 10 ** (def.scale ?? 2);
      return Math.round(n * f) / f;
    }
    case 'boolean':
      return Array.isArray(value) ? value.length > 0 : Boolean(value);
    case 'date':
      return typeof value === 'string' && /^\d{4}-\d{2}-\d{2}$/.test(value) ? value : null;
    case 'datetime': {
      if (typeof value !== 'string') return null;
      const ms = Date.parse(value);
      return Number.isNaN(ms) ? null : new Date(ms).toISOString();
    }
  }
}
