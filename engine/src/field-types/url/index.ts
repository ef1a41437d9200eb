import { stringType } from '../shared/string-type';

export const urlType = stringType({
  type: 'url',
  expected: 'a web address (http or https)',
  widget: 'url',
  defaultMaxLength: 2048,
  maxLengthCeiling: 2048,
  lengthConfigurable: false,
  // Only web addresses: a javascript: link in a CRM record is an attack on whoever clicks it.
  valueKeywords: { format: 'uri', pattern: '^\\s*[hH][tT][tT][pP][sS]?://' },
  trim: true,
  nameable: true,
});
