import { CrmError } from '../errors';
import type { ColumnType } from '../field-types/field-type';
import { compileSchema, type Validator } from '../metadata/ajv';
import type { JsonSchema } from '../metadata/json-schema';

/**
 * Keyset cursors are opaque to clients: the sort values of the last row returned, and the list
 * they belong to (`scope`: a cursor of another object or sort would silently skip or repeat rows).
 * A cursor comes back from the client, so it is untrusted input: its JSON is checked against a
 * schema, and each value against the type of its column, so that a tampered cursor is a 400 and
 * never a failing cast in SQL.
 */
interface CursorPayload {
  readonly s: string;
  readonly v: readonly unknown[];
}

const payloadIsWellFormed = compileSchema({
  type: 'object',
  properties: { s: { type: 'string', maxLength: 1000 }, v: { type: 'array', maxItems: 16 } },
  required: ['s', 'v'],
  additionalProperties: false,
});

/** What a sort column's values look like as the database returns them (see db/type-parsers.ts). */
function valueSchema(type: ColumnType): JsonSchema {
  switch (type) {
    case 'text':
      return { type: 'string', pattern: '^[^\\u0000]*$' };
    case 'bigint':
      // Beyond JavaScript's safe integers int8 arrives as a string; 18 digits always fit int8.
      return { anyOf: [{ type: 'integer', minimum: Number.MIN_SAFE_INTEGER, maximum: Number.MAX_SAFE_INTEGER }, { type: 'string', pattern: '^-?\\d{1,18}$' }] };
    case 'boolean':
      return { type: 'boolean' };
    // Dates, instants and ids exactly as the database returns them: the formats check the
    // calendar, the patterns refuse the forms AJV allows and PostgreSQL does not (year 0000, urn:uuid:).
    case 'date':
      return { type: 'string', format: 'date', pattern: '^(?!0000)' };
    case 'timestamptz(3)':
      return { type: 'string', format: 'date-time', pattern: '^(?!0000)\\d{4}-\\d\\d-\\d\\dT\\d\\d:\\d\\d:\\d\\d\\.\\d{3}Z$' };
    case 'uuid':
      return { type: 'string', pattern: '^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$' };
    case 'numeric':
      return { type: 'string', pattern: '^-?\\d{1,1000}(\\.\\d{1,1000})?$' };
    case 'text[]':
    case 'jsonb':
      // Not sortable: no cursor holds such a value.
      return { not: {} };
    default: {
      // numeric(p,s): no more digits than the column holds, or the cast overflows.
      const [precision, scale] = type.slice('numeric('.length, -1).split(',').map(Number) as [number, number];
      const whole = precision > scale ? `\\d{1,${precision - scale}}` : '0';
      return { type: 'string', pattern: scale > 0 ? `^-?${whole}(\\.\\d{1,${scale}})?$` : `^-?${whole}$` };
    }
  }
}

const valueValidators = new Map<ColumnType, Validator>();

function valueIsValid(type: ColumnType, value: unknown): boolean {
  if (value === null) return true;
  let validator = valueValidators.get(type);
  if (!validator) valueValidators.set(type, (validator = compileSchema(valueSchema(type))));
  return validator(value);
}

export function encodeCursor(scope: string, values: readonly unknown[]): string {
  return Buffer.from(JSON.stringify({ s: scope, v: values } satisfies CursorPayload)).toString('base64url');
}

/** The values of a cursor issued for `scope` over columns of these types; cursor_invalid otherwise. */
export function decodeCursor(cursor: string, scope: string, columns: readonly ColumnType[]): readonly unknown[] {
  let payload: unknown;
  try {
    payload = JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8'));
  } catch {
    throw new CrmError('cursor_invalid');
  }
  if (!payloadIsWellFormed(payload)) throw new CrmError('cursor_invalid');
  const { s, v } = payload as CursorPayload;
  if (s !== scope || v.length !== columns.length || !v.every((value, i) => valueIsValid(columns[i]!, value))) throw new CrmError('cursor_invalid');
  return v;
}
