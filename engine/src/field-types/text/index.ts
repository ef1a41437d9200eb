import { stringType } from '../shared/string-type';
import type { FieldTypeModule } from '../field-type';
import type { TextField } from '../../documents/types';
import { reason } from '../../errors';

const base = stringType({
  type: 'text',
  expected: 'text',
  widget: 'text',
  defaultMaxLength: 255,
  maxLengthCeiling: 10_000,
  lengthConfigurable: true,
  trim: true,
  nameable: true,
});

// Patterns run on user input: keep them short so an analyst cannot configure a pathological regex by accident.
const MAX_PATTERN_LENGTH = 200;

export const textType: FieldTypeModule = {
  ...base,
  definitionProperties: { ...base.definitionProperties, pattern: { type: 'string', minLength: 1, maxLength: MAX_PATTERN_LENGTH } },
  check(def) {
    const issues = base.check?.(def) ?? [];
    const pattern = (def as TextField).pattern;
    if (pattern !== undefined) {
      try {
        new RegExp(pattern, 'u');
      } catch (error) {
        issues.push({ path: 'pattern', reason: reason('invalid_regular_expression', { detail: (error as Error).message }) });
      }
    }
    return issues;
  },
  declaredPattern: (def) => (def as TextField).pattern,
};
