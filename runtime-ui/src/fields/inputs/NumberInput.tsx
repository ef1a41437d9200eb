import { InputNumber } from 'antd';
import { LookAlike, useDeferred } from './deferred-widget';
import { describedBy, descriptorString, type WidgetProps } from './widget-props';

/**
 * integer, decimal, currency and percent. The value stays the exact text typed (InputNumber's
 * string mode: no float on the way, so 0.1 + 0.2 digits are never rounded), which the API
 * accepts for every numeric type; the API answers decimals as exact strings too. A currency
 * shows its code, a percent its sign. Limits and scale are reported by the check (core's, then the API's), never clamped silently.
 */
export function NumberInput({ descriptor, value, onChange, onBlur, id, readOnly, invalid, label }: WidgetProps) {
  const text = value === null || value === undefined || value === '' ? null : String(value);
  const currency = descriptorString(descriptor, 'currencyCode');
  const integer = descriptor.widget === 'integer';
  const { real, activation, activate } = useDeferred();
  const prefix = currency ? <span className="field-input__affix">{currency}</span> : undefined;
  const suffix = descriptor.widget === 'percent' ? <span className="field-input__affix">%</span> : undefined;
  if (!real) {
    return (
      <LookAlike
        {...{ id, invalid, label, readOnly, activate }}
        text={text ?? ''}
        frame={`field-input__box${invalid ? ' field-input__box--error' : ''}`}
        inputClass="field-input__plain"
        inputMode={integer ? 'numeric' : 'decimal'}
        before={prefix}
        after={suffix}
      />
    );
  }
  return (
    <InputNumber<string>
      id={id}
      stringMode
      className="field-input__number"
      value={text}
      readOnly={readOnly}
      aria-label={id ? undefined : label}
      aria-invalid={invalid || undefined}
      aria-describedby={describedBy({ id, invalid })}
      status={invalid ? 'error' : undefined}
      inputMode={integer ? 'numeric' : 'decimal'}
      keyboard
      controls={false}
      autoFocus={activation === 'focus' || activation === 'press'}
      {...(prefix ? { prefix } : {})}
      {...(suffix ? { suffix } : {})}
      onBlur={onBlur}
      onChange={(next) => onChange(next === null || next === '' ? null : integer && /^-?\d{1,15}$/.test(next) ? Number(next) : next)}
    />
  );
}
