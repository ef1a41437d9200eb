import { DownOutlined } from '@ant-design/icons';
import { Select } from 'antd';
import { activated, LookAlike, useDeferred } from './deferred-widget';
import { choicesOf } from './select-options';
import { describedBy, descriptorNumber, type WidgetProps } from './widget-props';

/** select and multiselect (dependent ones offer only what the controlling field allows). */
export function SelectInput({ descriptor, value, onChange, onBlur, id, readOnly, invalid, label, locale, values }: WidgetProps) {
  const multiple = descriptor.widget === 'multiselect';
  const choices = choicesOf(descriptor, locale, value, values);
  const maxCount = descriptorNumber(descriptor, 'maxSelections');
  const current = multiple ? (Array.isArray(value) ? value.map(String) : []) : typeof value === 'string' && value !== '' ? value : undefined;
  const { real, activation, activate } = useDeferred();
  if (!real) {
    const shown = (typeof current === 'string' ? [current] : (current ?? [])).map((v) => choices.find((c) => c.value === v)?.label ?? v);
    return (
      <LookAlike
        {...{ id, invalid, label, readOnly, activate }}
        text={shown.join(', ')}
        {...(multiple ? { tags: shown } : {})}
        frame={`ant-select ant-select-outlined ant-select-css-var ant-select-${multiple ? 'multiple' : 'single'} ant-select-show-arrow field-input__select${invalid ? ' ant-select-status-error' : ''}${readOnly ? ' ant-select-disabled' : ''}`}
        textBox="ant-select-content"
        opens
        inputClass="ant-select-input"
        role="combobox"
        after={
          <span className="ant-select-suffix">
            <DownOutlined />
          </span>
        }
      />
    );
  }
  return (
    <Select<string | string[]>
      id={id}
      className="field-input__select"
      mode={multiple ? 'multiple' : undefined}
      value={current}
      options={choices.map((c) => ({ value: c.value, label: c.label }))}
      allowClear
      showSearch={{ optionFilterProp: 'label' }}
      {...activated(activation)}
      disabled={readOnly}
      aria-label={id ? undefined : label}
      aria-invalid={invalid || undefined}
      aria-describedby={describedBy({ id, invalid })}
      status={invalid ? 'error' : undefined}
      {...(multiple && maxCount !== undefined ? { maxCount } : {})}
      onBlur={onBlur}
      onChange={(next) => onChange(multiple ? ((next as string[] | undefined)?.length ? next : null) : (next ?? null))}
    />
  );
}
