import { memo, useMemo } from 'react';
import { Controller, type Control } from 'react-hook-form';
import type { ClientField, ClientObject } from '@crm/engine/core';
import { FieldInput } from '../../fields/FieldInput';
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
 * One field of the form: FieldInput through react-hook-form's Controller. Besides its own value
 * it reads from the form's live state only what it shows (a formula's result, whether it may be
 * written, its controlling field's value), so typing elsewhere does not re-render it.
 */
export const FieldSlot = memo(function FieldSlot({ control, live, object, field, id, readOnly, invalid, onChanged, onTouched }: FieldSlotProps) {
  const name = field.name;
  const controllingName = controllingFieldOf(field);
  // A field the layout locks shows (and sends) what the record holds, not what was typed before it locked.
  const shown = useLive(live, (state) => (name in state.formulas ? state.formulas[name] : readOnly ? state.initial[name] : TYPED));
  const writable = useLive(live, (state) => state.writable.has(name));
  const controlling = useLive(live, (state) => (controllingName === undefined ? undefined : state.values[controllingName]));
  const values = useMemo(() => (controllingName === undefined ? undefined : { [controllingName]: controlling }), [controllingName, controlling]);
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
