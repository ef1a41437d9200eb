import { stringType } from '../shared/string-type';

export const emailType = {
  ...stringType({
    type: 'email',
    expected: 'an email address',
    widget: 'email',
    defaultMaxLength: 254,
    maxLengthCeiling: 254,
    lengthConfigurable: false,
    valueKeywords: { format: 'email' },
    trim: true,
    nameable: true,
  }),
  emailRecipient: 'address' as const,
};
