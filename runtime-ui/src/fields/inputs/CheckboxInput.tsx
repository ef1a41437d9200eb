import { Switch } from 'antd';
import type { WidgetProps } from './widget-props';

/** A yes/no field as a switch (a large touch target, operable with Space). */
export function CheckboxInput({ value, onChange, onBlur, id, readOnly, label }: WidgetProps) {
  return (
    <span onBlur={onBlur}>
      <Switch id={id} checked={value === true} disabled={readOnly} aria-label={label} onChange={(checked) => onChange(checked)} />
    </span>
  );
}
