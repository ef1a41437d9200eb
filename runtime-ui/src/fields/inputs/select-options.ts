import type { ClientFieldDescriptor, SelectOption } from '@crm/engine/core';
import type { UiLocale } from '../../i18n/i18n';
import { textOf } from '../../metadata/labels';

export interface Choice {
  readonly value: string;
  readonly label: string;
  readonly color?: string;
}

/**
 * The options a select offers now, in display order and the user's language: active options
 * valid for the controlling field's current value (a dependent select), plus whatever the field
 * holds already (a retired or no-longer-valid option stays visible so the record can be read and
 * the check can say what is wrong with it).
 */
export function choicesOf(descriptor: ClientFieldDescriptor, locale: UiLocale, current: unknown, values: Readonly<Record<string, unknown>> | undefined): Choice[] {
  const options = (Array.isArray(descriptor.options) ? descriptor.options : []) as readonly SelectOption[];
  const controllingField = typeof descriptor.controllingField === 'string' ? descriptor.controllingField : undefined;
  const controlling = controllingField === undefined ? undefined : values?.[controllingField];
  const controllingValue = controlling === null || controlling === undefined || controlling === '' ? null : String(controlling);
  const held = new Set(Array.isArray(current) ? current.map(String) : current === null || current === undefined ? [] : [String(current)]);
  return options
    .filter((option) => {
      if (held.has(option.value)) return true;
      if (option.active === false) return false;
      if (controllingField === undefined || !option.valid_for) return true;
      return controllingValue !== null && option.valid_for.includes(controllingValue);
    })
    .map((option) => ({ value: option.value, label: textOf(option.label, locale, option.value), ...(option.color ? { color: option.color } : {}) }));
}
