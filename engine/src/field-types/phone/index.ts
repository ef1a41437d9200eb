import { stringType } from '../shared/string-type';

export const phoneType = stringType({
  type: 'phone',
  expected: 'a phone number',
  widget: 'phone',
  defaultMaxLength: 40,
  maxLengthCeiling: 40,
  lengthConfigurable: false,
  // International and local forms alike: digits with the usual separators, an optional + and extension.
  valueKeywords: { pattern: '^\\s*\\+?[0-9][0-9 ()./-]{1,30}(\\s*(x|ext\\.?|#)\\s*[0-9]{1,6})?\\s*$' },
  trim: true,
  nameable: true,
});
