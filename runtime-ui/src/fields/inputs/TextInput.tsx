import { Input } from 'antd';
import { useDeferred } from './deferred-widget';
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
  const plain = {
    id,
    value: text,
    onBlur,
    readOnly,
    'aria-label': id ? undefined : label,
    'aria-invalid': invalid || undefined,
    'aria-describedby': describedBy({ id, invalid }),
    ...(maxLength !== undefined ? { maxLength } : {}),
  };
  const common = { ...plain, status: invalid ? ('error' as const) : undefined };
  const { real, activation, activate } = useDeferred();
  if (descriptor.widget === 'textarea') {
    if (!real) {
      // antd's autoSize measures each textarea as it mounts (a forced layout apiece): a long
      // form shows a plain one, as many lines high, until the user reaches it (deferred-widget.tsx).
      return (
        <textarea
          {...plain}
          className={`field-input__area${invalid ? ' field-input__box--error' : ''}`}
          rows={Math.min(12, Math.max(3, text.split('\n').length))}
          onFocus={() => activate('focus')}
          onChange={() => activate('focus')}
        />
      );
    }
    return <Input.TextArea {...common} autoFocus={activation !== undefined} autoSize={{ minRows: 3, maxRows: 12 }} onChange={(e) => onChange(emptyToNull(e.target.value))} />;
  }
  const kind = KINDS[descriptor.widget] ?? KINDS.text!;
  return <Input {...common} type={kind.type} inputMode={kind.inputMode} autoComplete={kind.autoComplete} onChange={(e) => onChange(emptyToNull(e.target.value))} />;
}
