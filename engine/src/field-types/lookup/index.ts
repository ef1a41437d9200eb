import { i18nTextSchema } from '../../documents/i18n';
import type { LookupField } from '../../documents/types';
import { referenceType, renameTarget } from '../shared/reference-type';

/** A real foreign key to another object's table. */
export const lookupType = referenceType<LookupField>({
  type: 'lookup',
  expected: 'a record id',
  definitionProperties: { target: { type: 'string' }, on_delete: { enum: ['restrict', 'set_null'] }, related_label: i18nTextSchema },
  requiredProperties: ['target'],
  unique: true,
  describe: (def) => ({ widget: 'lookup', target: def.target, onDelete: def.on_delete ?? 'set_null' }),
  reference: (def) => ({ to: 'record', target: def.target, onDelete: def.on_delete ?? 'set_null', owned: false }),
  extra: { renamed: renameTarget },
});
