import { stringType } from '../shared/string-type';

export const textareaType = {
  ...stringType({
    type: 'textarea',
    expected: 'text',
    widget: 'textarea',
    defaultMaxLength: 32_000,
    maxLengthCeiling: 1_000_000,
    lengthConfigurable: true,
  }),
  // Line breaks and indentation are the content: a cell is taken as it is.
  fromCell: (cell: string) => cell,
};
