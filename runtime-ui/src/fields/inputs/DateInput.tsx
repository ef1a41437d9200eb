import { CalendarOutlined } from '@ant-design/icons';
import { ConfigProvider, DatePicker } from 'antd';
import { useContext } from 'react';
import dayjs, { type Dayjs } from 'dayjs';
import { activated, LookAlike, useDeferred } from './deferred-widget';
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
  const format = withTime ? 'YYYY-MM-DD HH:mm' : 'YYYY-MM-DD';
  const change = (next: Dayjs | null) => {
    if (!next) onChange(null);
    else onChange(withTime ? next.toISOString() : next.format('YYYY-MM-DD'));
  };
  const { real, activation, activate } = useDeferred();
  const lang = useContext(ConfigProvider.ConfigContext).locale?.DatePicker?.lang;
  if (!real) {
    return (
      <LookAlike
        {...{ id, invalid, label, readOnly, activate }}
        text={current ? current.format(format) : ''}
        placeholder={lang?.placeholder ?? ''}
        frame={`field-input__box${invalid ? ' field-input__box--error' : ''}${readOnly ? ' field-input__box--disabled' : ''}`}
        inputClass="field-input__plain"
        opens
        after={
          <span className="field-input__box-icon">
            <CalendarOutlined />
          </span>
        }
      />
    );
  }
  return (
    <DatePicker
      id={id}
      className="field-input__date"
      value={current}
      showTime={withTime ? { format: 'HH:mm' } : false}
      format={format}
      {...activated(activation)}
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
