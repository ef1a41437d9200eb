import { JSON_VALUE_LIMITS, jsonInputIssue } from '../../documents/json-limits';
import type { JsonField } from '../../documents/types';
import type { FieldTypeModule } from '../field-type';

const MAX_JSON_BYTES = 256 * 1024;

export const jsonType: FieldTypeModule<JsonField> = {
  type: 'json',
  definitionProperties: {},
  capabilities: {
    input: true,
    sortable: false,
    filterable: false,
    searchable: false,
    unique: false,
    indexable: false,
    defaultable: true,
    requirable: true,
  },
  expected: 'any JSON value',
  storage: () => ({ kind: 'column', columnType: 'jsonb' }),
  valueKind: () => 'json',
  inputSchema: () => ({}),
  normalize(value) {
    // Before JSON.stringify recurses into it; PostgreSQL's jsonb refuses U+0000 and very deep values too.
    const issue = jsonInputIssue(value, JSON_VALUE_LIMITS);
    if (issue) return { ok: false, issue: { code: issue.code, ...(issue.params ? { params: issue.params } : {}) } };
    if (JSON.stringify(value).length > MAX_JSON_BYTES) {
      return { ok: false, issue: { code: 'max_length', params: { limit: MAX_JSON_BYTES } } };
    }
    return { ok: true, value };
  },
  output: (value) => value,
  toRule: (value) => value,
  fromCell(cell) {
    const text = cell.trim();
    try {
      return JSON.parse(text) as unknown;
    } catch {
      return text;
    }
  },
  describe: () => ({ widget: 'json', valueKind: 'json' }),
};
