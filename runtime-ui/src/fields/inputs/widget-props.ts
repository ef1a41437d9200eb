import type { ClientFieldDescriptor } from '@crm/engine/core';
import type { UiLocale } from '../../i18n/i18n';
import type { FieldInputProps } from '../FieldInput';

/** What every widget receives: FieldInput's props, the field's descriptor and the user's language. */
export interface WidgetProps extends FieldInputProps {
  readonly descriptor: ClientFieldDescriptor;
  readonly locale: UiLocale;
  /** The field's label in the user's language (the accessible name when no form label points at it). */
  readonly label: string;
  /** Read-only: shown as a value, not editable (field mode, condition or `disabled`). */
  readonly readOnly: boolean;
}

/** A descriptor's property read with its expected primitive type (descriptors are open records). */
export function descriptorNumber(descriptor: ClientFieldDescriptor, key: string): number | undefined {
  const value = descriptor[key];
  return typeof value === 'number' ? value : undefined;
}

export function descriptorString(descriptor: ClientFieldDescriptor, key: string): string | undefined {
  const value = descriptor[key];
  return typeof value === 'string' ? value : undefined;
}

/** The message under an invalid field (FormLayoutView's `<id>-help`), so screen readers read it with the input. */
export function describedBy({ id, invalid }: Pick<WidgetProps, 'id' | 'invalid'>): string | undefined {
  return invalid && id ? `${id}-help` : undefined;
}

/** Empty input means no value: the API is sent null, as a cleared field. */
export function emptyToNull(value: string): string | null {
  return value === '' ? null : value;
}

/** A reference field's id, also when the API answered with an expanded record (`{id, ...}`). */
export function referenceValue(value: unknown): string | null {
  if (typeof value === 'string') return value === '' ? null : value;
  if (value !== null && typeof value === 'object' && 'id' in value) return String((value as { id: unknown }).id);
  return null;
}

/** Picker choices with the current value first when the list does not hold it (so it shows by name, not blank). */
export function withCurrent<C extends { readonly value: string; readonly label: string }>(choices: readonly C[], current: string | null, label: string): readonly (C | { value: string; label: string })[] {
  if (!current || choices.some((choice) => choice.value === current)) return choices;
  return [{ value: current, label }, ...choices];
}

/** What every single-value picker (lookup, user) sets on its antd Select: the value, state and accessibility. */
export function pickerProps({ id, readOnly, invalid, label, onBlur, onChange }: WidgetProps, current: string | null) {
  return {
    id,
    className: 'field-input__select',
    value: current ?? undefined,
    allowClear: true,
    disabled: readOnly,
    'aria-label': id ? undefined : label,
    'aria-invalid': invalid || undefined,
    'aria-describedby': describedBy({ id, invalid }),
    status: invalid ? ('error' as const) : undefined,
    onBlur,
    onChange: (next: string | undefined) => onChange(next ?? null),
  };
}
