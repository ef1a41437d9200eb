import { Input } from 'antd';
import { describedBy, descriptorNumber, emptyToNull, type WidgetProps } from './widget-props';

/** How each text-like widget is typed on a phone keyboard, and as which HTML input. */
const KINDS: Readonly<Record<string, { type: string; inputMode: 'text' | 'email' | 'tel' | 'url'; autoComplete: string }>> = {
  text: { type: 'text', inputMode: 'text', autoComplete: 'off' },
  email: { type: 'email', inputMode: 'email', autoComplete: 'email' },
  phone: { type: 'tel', inputMode: 'tel', autoComplete: 'tel' },
  url: { type: 'url', inputMode: 'url', autoComplete: 'url' },
};

/** text, email, phone, url and textarea: the value is the text as typed (the API trims and checks it). */
export function TextInput({ descriptor, value, onChange, onBlur, id, readOnly, invalid, label }: WidgetProps) {
  const text = typeof value === 'string' ? value : value === null || value === undefined ? '' : String(value);
  const maxLength = descriptorNumber(descriptor, 'maxLength');
  const common = {
    id,
    value: text,
    onBlur,
    readOnly,
    'aria-label': id ? undefined : label,
    'aria-invalid': invalid || undefined,
    'aria-describedby': describedBy({ id, invalid }),
    status: invalid ? ('error' as const) : undefined,
    ...(maxLength !== undefined ? { maxLength } : {}),
  };
  if (descriptor.widget === 'textarea') {
    return <Input.TextArea {...common} autoSize={{ minRows: 3, maxRows: 12 }} onChange={(e) => onChange(emptyToNull(e.target.value))} />;
  }
  const kind = KINDS[descriptor.widget] ?? KINDS.text!;
  return <Input {...common} type={kind.type} inputMode={kind.inputMode} autoComplete={kind.autoComplete} onChange={(e) => onChange(emptyToNull(e.target.value))} />;
}
