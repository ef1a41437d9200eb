import type { SelectField } from '../../documents/types';
import type { FieldTypeModule } from '../field-type';
import { storedInput } from '../shared/capabilities';
import { checkOptions, isSelectable, optionsProperties, orderedOptions, renameControllingField } from '../shared/options';

export const selectType: FieldTypeModule<SelectField> = {
  type: 'select',
  definitionProperties: optionsProperties,
  requiredProperties: ['options'],
  capabilities: { ...storedInput, unique: false },
  nameable: true,
  expected: 'one of the options',
  storage: () => ({ kind: 'column', columnType: 'text' }),
  valueKind: () => 'string',
  inputSchema: () => ({ type: 'string' }),
  normalize(value, def, context) {
    const choice = value as string;
    if (choice === '') return { ok: true, value: null };
    // A retired option stays valid on records that already hold it.
    if (!isSelectable(def.options, choice) && choice !== context.previous) {
      return { ok: false, issue: { code: 'option', params: { value: choice } } };
    }
    return { ok: true, value: choice };
  },
  output: (value) => value,
  toRule: (value) => value,
  check: (def) => checkOptions(def.options),
  controllingValues: (def) => def.options.map((o) => o.value),
  renamed: renameControllingField,
  describe: (def) => ({
    widget: 'select',
    valueKind: 'string',
    options: orderedOptions(def.options),
    ...(def.controlling_field ? { controllingField: def.controlling_field } : {}),
  }),
};
