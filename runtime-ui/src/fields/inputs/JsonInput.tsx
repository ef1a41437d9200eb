import { Input } from 'antd';
import { useState } from 'react';
import { describedBy, type WidgetProps } from './widget-props';

/** A json field as its JSON text: sent parsed when it parses, else as typed (the check then says what is expected). */
export function JsonInput({ value, onChange, onBlur, id, readOnly, invalid, label }: WidgetProps) {
  const [text, setText] = useState(() => (value === null || value === undefined ? '' : typeof value === 'string' ? value : JSON.stringify(value, null, 2)));
  return (
    <Input.TextArea
      id={id}
      className="field-input__json"
      value={text}
      readOnly={readOnly}
      autoSize={{ minRows: 3, maxRows: 12 }}
      aria-label={id ? undefined : label}
      aria-invalid={invalid || undefined}
      aria-describedby={describedBy({ id, invalid })}
      status={invalid ? 'error' : undefined}
      onBlur={onBlur}
      onChange={(e) => {
        const next = e.target.value;
        setText(next);
        if (next.trim() === '') return onChange(null);
        try {
          onChange(JSON.parse(next) as unknown);
        } catch {
          onChange(next);
        }
      }}
    />
  );
}
