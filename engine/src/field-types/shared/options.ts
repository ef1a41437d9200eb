import type { JsonSchema } from '../../documents/json-schema';
import { i18nTextSchema } from '../../documents/i18n';
import type { SelectOption } from '../../documents/types';
import type { DefinitionIssue, DefinitionRename } from '../field-type';
import { reason } from '../../errors';

export const optionSchema: JsonSchema = {
  type: 'object',
  properties: {
    value: { type: 'string', minLength: 1, maxLength: 255 },
    label: i18nTextSchema,
    color: { type: 'string', pattern: '^#[0-9a-fA-F]{6}$|^[a-z]{3,20}$' },
    order: { type: 'integer' },
    active: { type: 'boolean' },
    valid_for: { type: 'array', items: { type: 'string' }, uniqueItems: true },
  },
  required: ['value', 'label'],
  additionalProperties: false,
};

export const optionsProperties = {
  options: { type: 'array', items: optionSchema, minItems: 1, maxItems: 1000 },
  controlling_field: { type: 'string' },
} as const;

/** A dependent select follows a rename of its controlling field. */
export function renameControllingField<D extends { readonly controlling_field?: string }>(def: D, rename: DefinitionRename): D {
  return rename.kind === 'field' && rename.own && def.controlling_field === rename.from ? { ...def, controlling_field: rename.to } : def;
}

export function checkOptions(options: readonly SelectOption[]): DefinitionIssue[] {
  const issues: DefinitionIssue[] = [];
  const seen = new Set<string>();
  options.forEach((option, index) => {
    if (seen.has(option.value)) issues.push({ path: `options/${index}/value`, reason: reason('duplicate_option_value', { value: option.value }) });
    seen.add(option.value);
  });
  return issues;
}

/** Options in display order: explicit `order` first, then their position. */
export function orderedOptions(options: readonly SelectOption[]): SelectOption[] {
  return options
    .map((option, index) => ({ option, key: option.order ?? index }))
    .sort((a, b) => a.key - b.key)
    .map((entry) => entry.option);
}

export function isSelectable(options: readonly SelectOption[], value: string): boolean {
  return options.some((option) => option.value === value && option.active !== false);
}

export function isKnownOption(options: readonly SelectOption[], value: string): boolean {
  return options.some((option) => option.value === value);
}
