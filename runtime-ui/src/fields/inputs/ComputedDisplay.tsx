import { FieldValue } from '../FieldValue';
import type { WidgetProps } from './widget-props';

/** formula, rollup and autonumber: nobody types them; the live value shows as text, announced when it changes. */
export function ComputedDisplay({ object, field, value, id, values }: WidgetProps) {
  return (
    <div id={id} className="field-input__computed" role="status" aria-live="polite">
      <FieldValue object={object} field={field} value={value} {...(values ? { record: values } : {})} />
    </div>
  );
}
