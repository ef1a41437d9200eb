/**
 * What a field change may say to accept losing data in a type change:
 * - null_invalid: rows that cannot convert are emptied;
 * - round / truncate: numbers (and text length, dates) are rounded or cut to fit;
 * - first_value: a multi-select keeps its first value when it becomes a select.
 */
export const CONVERSION_STRATEGIES = ['null_invalid', 'round', 'truncate', 'first_value'] as const;
export type ConversionStrategy = (typeof CONVERSION_STRATEGIES)[number];
