import { Input } from 'antd';
import type { ClientFieldDescriptor } from '@crm/engine/core';
import { useDeferred } from './deferred-widget';
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

/** text, email, phone, url and textarea: the value is the text as typed (the API trims and checks it). */
export function TextInput({ descriptor, value, onChange, onBlur, id, readOnly, invalid, label, registration }: WidgetProps) {
  const text = typeof value === 'string' ? value : value === null || value === undefined ? '' : String(value);
  const maxLength = descriptorNumber(descriptor, 'maxLength');
  const plain = {
    id,
    onBlur,
    readOnly,
    'aria-label': id ? undefined : label,
    'aria-invalid': invalid || undefined,
    'aria-describedby': describedBy({ id, invalid }),
    ...(maxLength !== undefined ? { maxLength } : {}),
  };
  const { real, activation, activate } = useDeferred();
  if (descriptor.widget === 'textarea') {
    if (!real) {
      // antd's autoSize measures each textarea as it mounts (a forced layout apiece): a long
      // form shows a plain one, as many lines high, until the user reaches it (deferred-widget.tsx).
      return (
        <textarea
          {...plain}
          value={text}
          className={`field-input__area${invalid ? ' field-input__box--error' : ''}`}
          rows={Math.min(12, Math.max(3, text.split('\n').length))}
          onFocus={() => activate('focus')}
          onChange={() => activate('focus')}
        />
      );
    }
    return (
      <Input.TextArea
        {...plain}
        value={text}
        status={invalid ? 'error' : undefined}
        autoFocus={activation !== undefined}
        autoSize={{ minRows: 3, maxRows: 12 }}
        onChange={(e) => onChange(emptyToNull(e.target.value))}
      />
    );
  }
  const kind = KINDS[descriptor.widget] ?? KINDS.text!;
  const input = { ...plain, className: plainInputClass(invalid), type: kind.type, inputMode: kind.inputMode, autoComplete: kind.autoComplete };
  // Registered: react-hook-form writes the element's value and reads it on each change.
  if (registration) return <input {...input} name={registration.name} ref={registration.ref} onChange={registration.onChange} onBlur={registration.onBlur} />;
  return <input {...input} value={text} onChange={(e) => onChange(emptyToNull(e.target.value))} />;
}
