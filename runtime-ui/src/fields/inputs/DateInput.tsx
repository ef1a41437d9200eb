import { DatePicker } from 'antd';
import dayjs, { type Dayjs } from 'dayjs';
import { describedBy, type WidgetProps } from './widget-props';

/**
 * date and datetime through antd's DatePicker (dayjs). Values travel as the API writes them: a
 * date as `YYYY-MM-DD`, a datetime as an ISO 8601 instant in UTC; the picker shows them in the
 * user's time zone and language.
 */
export function DateInput({ descriptor, value, onChange, onBlur, id, readOnly, invalid, label }: WidgetProps) {
  const withTime = descriptor.widget === 'datetime';
  const parsed = typeof value === 'string' && value !== '' ? dayjs(value) : null;
  const current = parsed?.isValid() ? parsed : null;
  const change = (next: Dayjs | null) => {
    if (!next) onChange(null);
    else onChange(withTime ? next.toISOString() : next.format('YYYY-MM-DD'));
  };
  return (
    <DatePicker
      id={id}
      className="field-input__date"
      value={current}
      showTime={withTime ? { format: 'HH:mm' } : false}
      format={withTime ? 'YYYY-MM-DD HH:mm' : 'YYYY-MM-DD'}
      inputReadOnly={readOnly}
      disabled={readOnly}
      aria-label={id ? undefined : label}
      aria-invalid={invalid || undefined}
      aria-describedby={describedBy({ id, invalid })}
      status={invalid ? 'error' : undefined}
      onBlur={onBlur}
      onChange={change}
    />
  );
}
