import { decimalType } from '../shared/decimal-type';

export const currencyType = decimalType({
  type: 'currency',
  defaultPrecision: 18,
  defaultScale: 2,
  widget: 'currency',
  extraProperties: { currency_code: { type: 'string', pattern: '^[A-Z]{3}$' } },
});
