import type { ChangeEvent, ComponentType, FocusEvent } from 'react';
import type { UseFormRegisterReturn } from 'react-hook-form';
import { useTranslation } from 'react-i18next';
import type { ClientField, ClientObject } from '@crm/engine/core';
import { useMetadata } from '../metadata/client-metadata';
import { textOf } from '../metadata/labels';
import { currentLocale } from '../i18n/i18n';
import { descriptorOf } from './field-widget';
import { CheckboxInput } from './inputs/CheckboxInput';
import { ComputedDisplay } from './inputs/ComputedDisplay';
import { DateInput } from './inputs/DateInput';
import { JsonInput } from './inputs/JsonInput';
import { LookupInput } from './inputs/LookupInput';
import { NumberInput } from './inputs/NumberInput';
import { SelectInput } from './inputs/SelectInput';
import { TextAreaInput } from './inputs/TextAreaInput';
import { TextInput } from './inputs/TextInput';
import { UserInput } from './inputs/UserInput';
import type { WidgetProps } from './inputs/widget-props';
import './inputs/inputs.css';

export interface FieldInputProps {
  readonly object: ClientObject;
  readonly field: ClientField;
  readonly value: unknown;
  readonly onChange: (value: unknown) => void;
  readonly onBlur?: () => void;
  /** The element id (the form item's label points at it). */
  readonly id?: string;
  readonly disabled?: boolean;
  /** The values of the other fields (dependent options read their controlling field). */
  readonly values?: Readonly<Record<string, unknown>>;
  readonly invalid?: boolean;
  /**
   * react-hook-form's registration of the field (`register(name)`): a plain text input then stays
   * uncontrolled (react-hook-form writes and reads the element, so a keystroke re-renders nothing)
   * and `value`/`onChange` go unused. Only for widgets that take it (inputs/TextInput.tsx takesRegistration).
   */
  readonly registration?: Pick<UseFormRegisterReturn, 'name' | 'ref'> & {
    readonly onChange: (event: ChangeEvent<HTMLInputElement>) => void;
    readonly onBlur: (event: FocusEvent<HTMLInputElement>) => void;
  };
}

/** The widget per descriptor `widget` (a field type brings its descriptor; unknown widgets edit as text). */
const WIDGETS: Readonly<Record<string, ComponentType<WidgetProps>>> = {
  text: TextInput,
  textarea: TextAreaInput,
  email: TextInput,
  phone: TextInput,
  url: TextInput,
  integer: NumberInput,
  decimal: NumberInput,
  currency: NumberInput,
  percent: NumberInput,
  date: DateInput,
  datetime: DateInput,
  checkbox: CheckboxInput,
  select: SelectInput,
  multiselect: SelectInput,
  lookup: LookupInput,
  user: UserInput,
  formula: ComputedDisplay,
  rollup: ComputedDisplay,
  autonumber: ComputedDisplay,
  json: JsonInput,
};

const TYPED: ReadonlySet<ComponentType<WidgetProps>> = new Set([TextInput, TextAreaInput, NumberInput, JsonInput]);

/**
 * The input for one field, chosen by its type descriptor's widget (fields/field-widget.ts):
 * forms, list inline edit and the record page use it. Values go in and out as the record API
 * writes them (decimals as exact strings, dates as ISO text, references as ids); what is wrong
 * with a value is for core's check to say, not for the widget to hide.
 */
export function FieldInput(props: FieldInputProps) {
  useTranslation(); // re-render on a language change: option labels follow it
  const metadata = useMetadata();
  const locale = currentLocale();
  const descriptor = descriptorOf(props.field, metadata.objects);
  const Widget = WIDGETS[descriptor.widget] ?? TextInput;
  const readOnly = props.disabled === true || props.field.mode === 'read_only' || descriptor.readOnly === true;
  const label = textOf(props.field.label, locale, props.field.name);
  // A read-only value typed as text reads better as text; pickers stay (disabled) to show the chosen title.
  const Shown = readOnly && TYPED.has(Widget) ? ComputedDisplay : Widget;
  return (
    <div className="field-input">
      <Shown {...props} descriptor={descriptor} locale={locale} label={label} readOnly={readOnly} />
    </div>
  );
}
