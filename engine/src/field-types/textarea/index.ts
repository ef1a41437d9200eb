import { stringType } from '../shared/string-type';

export const textareaType = stringType({
  type: 'textarea',
  expected: 'text',
  widget: 'textarea',
  defaultMaxLength: 32_000,
  maxLengthCeiling: 1_000_000,
  lengthConfigurable: true,
});
