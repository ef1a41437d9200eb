import { decimalType } from '../shared/decimal-type';

/** A percentage as written: 12.5 means 12.5 %. */
export const percentType = decimalType({ type: 'percent', defaultPrecision: 7, defaultScale: 2, widget: 'percent' });
