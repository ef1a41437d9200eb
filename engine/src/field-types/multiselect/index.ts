import type { MultiselectField } from '../../documents/types';
import type { FieldTypeModule } from '../field-type';
import { storedInput } from '../shared/capabilities';
import { checkOptions, isSelectable, optionsProperties, orderedOptions, renameControllingField } from '../shared/options';

export const multiselectType: FieldTypeModule<MultiselectField> = {
  type: 'multiselect',
  definitionProperties: { ...optionsProperties, max_selections: { type: 'integer', minimum: 1, maximum: 1000 } },
  requiredProperties: ['options'],
  capabilities: { ...storedInput, unique: false, sortable: false },
  expected: 'a list of options',
  storage: () => ({ kind: 'column', columnType: 'text[]' }),
  valueKind: () => 'string_array',
  inputSchema: (def) => ({
    type: 'array',
    items: { type: 'string', minLength: 1 },
    ...(def.max_selections ? { maxItems: def.max_selections } : {}),
  }),
  normalize(value, def, context) {
    const chosen = value as string[];
    const previous = Array.isArray(context.previous) ? (context.previous as string[]) : [];
    const seen = new Set<string>();
    for (const choice of chosen) {
      if (seen.has(choice)) return { ok: false, issue: { code: 'duplicate', params: { value: choice } } };
      seen.add(choice);
      if (!isSelectable(def.options, choice) && !previous.includes(choice)) {
        return { ok: false, issue: { code: 'option', params: { value: choice } } };
      }
    }
    if (chosen.length === 0) return { ok: true, value: null };
    // Stored in option order so that equal selections are equal values.
    const order = orderedOptions(def.options).map((option) => option.value);
    const rank = (v: string) => {
      const i = order.indexOf(v);
      return i === -1 ? order.length : i;
    };
    return { ok: true, value: [...chosen].sort((a, b) => rank(a) - rank(b)) };
  },
  output: (value) => value,
  toRule: (value) => value,
  check: (def) => checkOptions(def.options),
  // A spreadsheet holds several values in one cell separated by semicolons.
  fromCell: (cell) =>
    cell
      .trim()
      .split(';')
      .map((v) => v.trim())
      .filter((v) => v !== ''),
  renamed: renameControllingField,
  describe: (def) => ({
    widget: 'multiselect',
    valueKind: 'string_array',
    options: orderedOptions(def.options),
    ...(def.max_selections ? { maxSelections: def.max_selections } : {}),
    ...(def.controlling_field ? { controllingField: def.controlling_field } : {}),
  }),
};
