import type { ClientFieldDescriptor } from '@crm/engine/core';
import { describedBy, descriptorNumber, emptyToNull, type WidgetProps } from './widget-props';

/** How each text-like widget is typed on a phone keyboard, and as which HTML input. */
const KINDS: Readonly<Record<string, { type: string; inputMode: 'text' | 'email' | 'tel' | 'url'; autoComplete: string }>> = {
  text: { type: 'text', inputMode: 'text', autoComplete: 'off' },
  email: { type: 'email', inputMode: 'email', autoComplete: 'email' },
  phone: { type: 'tel', inputMode: 'tel', autoComplete: 'tel' },
  url: { type: 'url', inputMode: 'url', autoComplete: 'url' },
};

/** Whether the widget is a plain text input, which a form may register with react-hook-form (FieldInputProps.registration). */
export function takesRegistration(descriptor: ClientFieldDescriptor): boolean {
  return descriptor.widget in KINDS;
}

/** What a registered text input's text is as a value: as typed, empty meaning none (as the controlled one sends it). */
export function textValueAs(value: unknown): unknown {
  return value === '' ? null : value;
}

/**
 * antd's outlined input look (its static stylesheet's classes) on a plain input: antd's Input
 * adds nothing to a text box without affixes but the cost of rendering it on every keystroke.
 */
export function plainInputClass(invalid: boolean | undefined): string {
  return `ant-input ant-input-outlined ant-input-css-var${invalid ? ' ant-input-status-error' : ''}`;
}

/** The attributes every text box shares: its id, state and accessible name, and the field's length limit. */
export function textAttributes({ descriptor, id, readOnly, invalid, label }: Pick<WidgetProps, 'descriptor' | 'id' | 'readOnly' | 'invalid' | 'label'>) {
  const maxLength = descriptorNumber(descriptor, 'maxLength');
  return {
    id,
    readOnly,
    'aria-label': id ? undefined : label,
    'aria-invalid': invalid || undefined,
    'aria-describedby': describedBy({ id, invalid }),
    ...(maxLength !== undefined ? { maxLength } : {}),
  };
}

/** text, email, phone and url: the value is the text as typed (the API trims and checks it). */
export function TextInput(props: WidgetProps) {
  const { descriptor, value, onChange, onBlur, invalid, registration } = props;
  const kind = KINDS[descriptor.widget] ?? KINDS.text!;
  const input = { ...textAttributes(props), className: plainInputClass(invalid), type: kind.type, inputMode: kind.inputMode, autoComplete: kind.autoComplete };
  // Registered: react-hook-form writes the element's value and reads it on each change.
  if (registration) return <input {...input} name={registration.name} ref={registration.ref} onChange={registration.onChange} onBlur={registration.onBlur} />;
  const text = typeof value === 'string' ? value : value === null || value === undefined ? '' : String(value);
  return <input {...input} value={text} onBlur={onBlur} onChange={(e) => onChange(emptyToNull(e.target.value))} />;
}
