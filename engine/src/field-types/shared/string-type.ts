import type { Expectation } from '../../errors';
import type { FieldDefinition } from '../../documents/types';
import type { JsonSchema } from '../../documents/json-schema';
import { containsNul } from '../../documents/json-limits';
import type { FieldTypeModule, Normalized } from '../field-type';
import { textualInput } from './capabilities';
import { reason } from '../../errors';

interface StringTypeSpec {
  readonly type: FieldDefinition['type'];
  readonly expected: Expectation;
  readonly widget: string;
  /** Longest accepted value when the definition sets none. */
  readonly defaultMaxLength: number;
  /** Hard ceiling of max_length. */
  readonly maxLengthCeiling: number;
  readonly lengthConfigurable: boolean;
  /** Extra schema keywords for the value (format, pattern). */
  readonly valueKeywords?: JsonSchema;
  /** Surrounding whitespace is not part of the value (trimmed before it is checked). */
  readonly trim?: boolean;
  /** Its value can name a record (FieldTypeModule.nameable). */
  readonly nameable?: boolean;
}

type StringDef = FieldDefinition & { min_length?: number; max_length?: number; pattern?: string };

/** Text-like types differ only in their limits, format and widget. */
export function stringType(spec: StringTypeSpec): FieldTypeModule {
  const lengthProps: Record<string, JsonSchema> = spec.lengthConfigurable
    ? {
        min_length: { type: 'integer', minimum: 0, maximum: spec.maxLengthCeiling },
        max_length: { type: 'integer', minimum: 1, maximum: spec.maxLengthCeiling },
      }
    : {};
  return {
    type: spec.type,
    definitionProperties: lengthProps,
    capabilities: textualInput,
    ...(spec.nameable ? { nameable: true } : {}),
    expected: spec.expected,
    storage: () => ({ kind: 'column', columnType: 'text' }),
    valueKind: () => 'string',
    inputSchema(def) {
      const d = def as StringDef;
      return {
        type: 'string',
        maxLength: d.max_length ?? spec.defaultMaxLength,
        ...(d.min_length ? { minLength: d.min_length } : {}),
        ...(d.pattern ? { pattern: d.pattern } : {}),
        ...spec.valueKeywords,
      };
    },
    ...(spec.trim ? { clean: (value: unknown) => (typeof value === 'string' ? value.trim() : value) } : {}),
    normalize(value): Normalized {
      // PostgreSQL stores no U+0000 in text: refused here, where every write's strings pass (imports too).
      if (containsNul(value as string)) return { ok: false, issue: { code: 'nul_character' } };
      // An empty string means "no value": one representation of empty keeps filters and `required` honest.
      return { ok: true, value: value === '' ? null : value };
    },
    output: (value) => value,
    toRule: (value) => value,
    check(def) {
      const d = def as StringDef;
      const issues = [];
      if (d.min_length !== undefined && d.max_length !== undefined && d.min_length > d.max_length) {
        issues.push({ path: 'min_length', reason: reason('must_not_exceed', { other: 'max_length' }) });
      }
      return issues;
    },
    describe(def) {
      const d = def as StringDef;
      return {
        widget: spec.widget,
        valueKind: 'string',
        maxLength: d.max_length ?? spec.defaultMaxLength,
        ...(d.min_length ? { minLength: d.min_length } : {}),
        ...(d.pattern ? { pattern: d.pattern } : {}),
      };
    },
  };
}
