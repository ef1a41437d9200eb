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

/** Empty input means no value: the API is sent null, as a cleared field. */
export function emptyToNull(value: string): string | null {
  return value === '' ? null : value;
}
