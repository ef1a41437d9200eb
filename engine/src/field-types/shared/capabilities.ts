import type { Capabilities } from '../field-type';

export const storedInput: Capabilities = Object.freeze({
  input: true,
  sortable: true,
  filterable: true,
  searchable: false,
  unique: true,
  indexable: true,
  defaultable: true,
  requirable: true,
});

export const textualInput: Capabilities = Object.freeze({ ...storedInput, searchable: true });
