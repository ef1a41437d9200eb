import type { DatetimeField } from '../../documents/types';
import type { FieldTypeModule } from '../field-type';
import { storedInput } from '../shared/capabilities';

/**
 * An instant. Input may carry any offset; it is stored as timestamptz and always returned as
 * UTC ISO-8601 with milliseconds, the form rules and clients compare.
 */
export const datetimeType: FieldTypeModule<DatetimeField> = {
  type: 'datetime',
  definitionProperties: {},
  capabilities: storedInput,
  expected: 'a date and time (ISO 8601 with a time zone)',
  storage: () => ({ kind: 'column', columnType: 'timestamptz(3)' }),
  valueKind: () => 'datetime',
  inputSchema: () => ({ type: 'string', format: 'date-time' }),
  normalize(value) {
    const ms = Date.parse(value as string);
    if (Number.isNaN(ms)) return { ok: false, issue: { code: 'type', params: { expected: 'a date and time (ISO 8601 with a time zone)' } } };
    const iso = new Date(ms).toISOString();
    if (!/^\d{4}-/.test(iso) || iso < '0001-01-01') {
      return { ok: false, issue: { code: 'type', params: { expected: 'a date and time between years 0001 and 9999' } } };
    }
    return { ok: true, value: iso };
  },
  output: (value) => value,
  toRule: (value) => value,
  temporal: 'datetime',
  describe: () => ({ widget: 'datetime', valueKind: 'datetime' }),
};
