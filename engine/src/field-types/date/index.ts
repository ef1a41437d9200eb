import type { DateField } from '../../documents/types';
import type { FieldTypeModule, Normalized } from '../field-type';
import { storedInput } from '../shared/capabilities';

const DATE = '^\\d{4}-\\d{2}-\\d{2}$';

/** A calendar day with no time zone: 'YYYY-MM-DD' everywhere, never a shifted timestamp. */
export const dateType: FieldTypeModule<DateField> = {
  type: 'date',
  definitionProperties: { min: { type: 'string', format: 'date' }, max: { type: 'string', format: 'date' } },
  capabilities: storedInput,
  expected: 'a date (YYYY-MM-DD)',
  storage: () => ({ kind: 'column', columnType: 'date' }),
  valueKind: () => 'date',
  inputSchema: () => ({ type: 'string', pattern: DATE, format: 'date' }),
  normalize(value, def): Normalized {
    const date = value as string;
    if (date < '0001-01-01') return { ok: false, issue: { code: 'type', params: { expected: 'a date (YYYY-MM-DD)' } } };
    if (def.min !== undefined && date < def.min) return { ok: false, issue: { code: 'minimum', params: { limit: def.min } } };
    if (def.max !== undefined && date > def.max) return { ok: false, issue: { code: 'maximum', params: { limit: def.max } } };
    return { ok: true, value: date };
  },
  output: (value) => value,
  toRule: (value) => value,
  temporal: 'date',
  describe: (def) => ({ widget: 'date', valueKind: 'date', ...(def.min ? { min: def.min } : {}), ...(def.max ? { max: def.max } : {}) }),
};
