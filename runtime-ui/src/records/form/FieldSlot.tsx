import { memo, useMemo, type ChangeEvent, type FocusEvent } from 'react';
import { Controller, type Control } from 'react-hook-form';
import type { ClientField, ClientObject } from '@crm/engine/core';
import { FieldInput } from '../../fields/FieldInput';
import { textValueAs } from '../../fields/inputs/TextInput';
import { useLive, type FormLive } from './form-live';

export interface FieldSlotProps {
  readonly control: Control<Record<string, unknown>>;
  readonly live: FormLive;
  readonly object: ClientObject;
  readonly field: ClientField;
  readonly id: string;
  /** Locked by the layout or the field's mode. */
  readonly readOnly: boolean;
  readonly invalid: boolean;
  /** The widget is a plain text input (takesRegistration): registered with react-hook-form, not through a Controller. */
  readonly registers: boolean;
  /** Stable callbacks (the form's), so a keystroke in one field re-renders only that field. */
  readonly onChanged: (name: string) => void;
  readonly onTouched: (name: string) => void;
}

/** The name of the field a dependent select takes its options from (a setting of the definition). */
export function controllingFieldOf(field: ClientField): string | undefined {
  const controlling = (field as { controlling_field?: unknown }).controlling_field;
  return typeof controlling === 'string' ? controlling : undefined;
}

const TYPED = Symbol('typed');

/**
 * One field of the form. A plain text input is registered with react-hook-form (uncontrolled: a
 * keystroke re-renders nothing, the form's live state still sees every value); other widgets go
 * through its Controller. Besides its own value it reads from the form's live state only what it
 * shows (a formula's result, whether it may be written, its controlling field's value), each a
 * slice of one field, so typing elsewhere neither re-renders it nor runs its selectors.
 */
export const FieldSlot = memo(function FieldSlot({ control, live, object, field, id, readOnly, invalid, registers, onChanged, onTouched }: FieldSlotProps) {
  const name = field.name;
  const controllingName = controllingFieldOf(field);
  // A field the layout locks shows (and sends) what the record holds, not what was typed before it
  // locked; a registered input that may not be written shows the value it holds, as text.
  const shown = useLive(
    live,
    (state) => (name in state.formulas ? state.formulas[name] : readOnly ? state.initial[name] : registers && !state.writable.has(name) ? state.values[name] : TYPED),
    name,
  );
  const writable = useLive(live, (state) => state.writable.has(name), name);
  const controlling = useLive(live, (state) => (controllingName === undefined ? undefined : state.values[controllingName]), controllingName ?? name);
  const values = useMemo(() => (controllingName === undefined ? undefined : { [controllingName]: controlling }), [controllingName, controlling]);
  const registration = useMemo(() => {
    if (!registers) return undefined;
    const registered = control.register(name, { setValueAs: textValueAs });
    return {
      ...registered,
      // react-hook-form sets the value and tells the form's subscribers synchronously; its promise only carries validation, which this form leaves to core.
      onChange: (event: ChangeEvent<HTMLInputElement>) => {
        void registered.onChange(event);
        onChanged(name);
      },
      onBlur: (event: FocusEvent<HTMLInputElement>) => {
        void registered.onBlur(event);
        onTouched(name);
      },
    };
  }, [registers, control, name, onChanged, onTouched]);

  if (registration) {
    return (
      <FieldInput
        object={object}
        field={field}
        id={id}
        value={shown === TYPED ? null : shown}
        {...(shown === TYPED ? { registration } : {})}
        disabled={readOnly || !writable}
        invalid={invalid}
        onChange={ignore}
      />
    );
  }
  return (
    <Controller
      name={name}
      control={control}
      render={({ field: controlled }) => (
        <FieldInput
          object={object}
          field={field}
          id={id}
          value={shown === TYPED ? controlled.value : shown}
          {...(values ? { values } : {})}
          disabled={readOnly || !writable}
          invalid={invalid}
          onBlur={() => {
            controlled.onBlur();
            onTouched(name);
          }}
          onChange={(next) => {
            controlled.onChange(next);
            onChanged(name);
          }}
        />
      )}
    />
  );
});

/** A registered input's changes reach the form through react-hook-form, not FieldInput's onChange. */
const ignore = () => undefined;
