import { decimalType } from '../shared/decimal-type';

export const decimalFieldType = decimalType({ type: 'decimal', defaultPrecision: 18, defaultScale: 2, widget: 'decimal' });
