import type { IntegerField } from '../../documents/types';
import type { FieldTypeModule, Normalized } from '../field-type';
import { storedInput } from '../shared/capabilities';
import { reason } from '../../errors';

const SAFE = { minimum: Number.MIN_SAFE_INTEGER, maximum: Number.MAX_SAFE_INTEGER };

/** Stored as bigint; limited to JavaScript's safe integers so that no value changes on its way to a client. */
export const integerType: FieldTypeModule<IntegerField> = {
  type: 'integer',
  definitionProperties: { min: { type: 'integer', ...SAFE }, max: { type: 'integer', ...SAFE } },
  capabilities: storedInput,
  nameable: true,
  expected: 'a whole number',
  storage: () => ({ kind: 'column', columnType: 'bigint' }),
  valueKind: () => 'number',
  inputSchema: (def) => ({
    anyOf: [
      { type: 'integer', minimum: def.min ?? SAFE.minimum, maximum: def.max ?? SAFE.maximum },
      { type: 'string', pattern: '^\\s*[-+]?\\d{1,16}\\s*$' },
    ],
  }),
  normalize(value, def): Normalized {
    const n = typeof value === 'number' ? value : Number((value as string).trim());
    if (!Number.isSafeInteger(n)) return { ok: false, issue: { code: 'type', params: { expected: 'a whole number' } } };
    if (def.min !== undefined && n < def.min) return { ok: false, issue: { code: 'minimum', params: { limit: def.min } } };
    if (def.max !== undefined && n > def.max) return { ok: false, issue: { code: 'maximum', params: { limit: def.max } } };
    return { ok: true, value: n };
  },
  output: (value) => value,
  toRule: (value) => value,
  check: (def) => (def.min !== undefined && def.max !== undefined && def.min > def.max ? [{ path: 'min', reason: reason('must_not_exceed', { other: 'max' }) }] : []),
  // A cell that is not a whole number is left as text for the pipeline to report.
  fromCell(cell) {
    const text = cell.trim();
    const n = Number(text);
    return Number.isFinite(n) && /^[+-]?\d+$/.test(text) ? n : text;
  },
  describe: (def) => ({ widget: 'integer', valueKind: 'number', ...(def.min !== undefined ? { min: def.min } : {}), ...(def.max !== undefined ? { max: def.max } : {}) }),
};
