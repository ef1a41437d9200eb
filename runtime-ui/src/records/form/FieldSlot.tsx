import { memo, useMemo } from 'react';
import { Controller, type Control } from 'react-hook-form';
import type { ClientField, ClientObject } from '@crm/engine/core';
import { FieldInput } from '../../fields/FieldInput';

export interface FieldSlotProps {
  readonly control: Control<Record<string, unknown>>;
  readonly object: ClientObject;
  readonly field: ClientField;
  readonly id: string;
  readonly disabled: boolean;
  readonly invalid: boolean;
  /** Shown instead of the form's value: a live formula result, or what the record holds for a locked field. */
  readonly shown: { readonly value: unknown } | undefined;
  /** The controlling field's value of a dependent select (other fields ignore the rest of the form). */
  readonly controlling: unknown;
  /** Stable callbacks (the form's), so a keystroke in one field re-renders only that field. */
  readonly onChanged: (name: string) => void;
  readonly onTouched: (name: string) => void;
}

/** The name of the field a dependent select takes its options from (a setting of the definition). */
export function controllingFieldOf(field: ClientField): string | undefined {
  const controlling = (field as { controlling_field?: unknown }).controlling_field;
  return typeof controlling === 'string' ? controlling : undefined;
}

/**
 * One field of the form: FieldInput through react-hook-form's Controller, memoised on what it
 * shows, so typing re-renders the field typed into (and what its value changes), not all 200.
 */
export const FieldSlot = memo(function FieldSlot({ control, object, field, id, disabled, invalid, shown, controlling, onChanged, onTouched }: FieldSlotProps) {
  const controllingName = controllingFieldOf(field);
  const values = useMemo(() => (controllingName === undefined ? undefined : { [controllingName]: controlling }), [controllingName, controlling]);
  return (
    <Controller
      name={field.name}
      control={control}
      render={({ field: controlled }) => (
        <FieldInput
          object={object}
          field={field}
          id={id}
          value={shown ? shown.value : controlled.value}
          {...(values ? { values } : {})}
          disabled={disabled}
          invalid={invalid}
          onBlur={() => {
            controlled.onBlur();
            onTouched(field.name);
          }}
          onChange={(next) => {
            controlled.onChange(next);
            onChanged(field.name);
          }}
        />
      )}
    />
  );
}, sameSlot);

/** Props equal for rendering: `shown` compares by its value (a fresh wrapper each render). */
function sameSlot(a: FieldSlotProps, b: FieldSlotProps): boolean {
  return (
    a.control === b.control &&
    a.object === b.object &&
    a.field === b.field &&
    a.id === b.id &&
    a.disabled === b.disabled &&
    a.invalid === b.invalid &&
    a.controlling === b.controlling &&
    a.onChanged === b.onChanged &&
    a.onTouched === b.onTouched &&
    (a.shown === b.shown || (a.shown !== undefined && b.shown !== undefined && Object.is(a.shown.value, b.shown.value)))
  );
}
