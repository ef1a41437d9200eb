import type { LookupField } from '../../metadata/types';
import { i18nTextSchema } from '../../metadata/i18n';
import type { FieldTypeModule } from '../field-type';
import { storedInput } from '../shared/capabilities';
import { normalizeReference, referenceInputSchema } from '../shared/reference-type';

/** A real foreign key to another object's table. */
export const lookupType: FieldTypeModule<LookupField> = {
  type: 'lookup',
  definitionProperties: {
    target: { type: 'string' },
    on_delete: { enum: ['restrict', 'set_null'] },
    related_label: i18nTextSchema,
  },
  requiredProperties: ['target'],
  capabilities: { ...storedInput, unique: true },
  expected: 'a record id',
  storage: () => ({ kind: 'column', columnType: 'uuid' }),
  valueKind: () => 'uuid',
  inputSchema: () => referenceInputSchema,
  normalize: normalizeReference,
  output: (value) => value,
  toRule: (value) => value,
  describe: (def) => ({ widget: 'lookup', valueKind: 'uuid', target: def.target, onDelete: def.on_delete ?? 'set_null' }),
};
