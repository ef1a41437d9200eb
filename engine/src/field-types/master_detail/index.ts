import type { MasterDetailField } from '../../metadata/types';
import { i18nTextSchema } from '../../metadata/i18n';
import type { FieldTypeModule } from '../field-type';
import { storedInput } from '../shared/capabilities';
import { normalizeReference, referenceInputSchema } from '../shared/reference-type';

/** A foreign key whose detail records live and die with their master (cascade delete); always required. */
export const masterDetailType: FieldTypeModule<MasterDetailField> = {
  type: 'master_detail',
  definitionProperties: { target: { type: 'string' }, related_label: i18nTextSchema },
  requiredProperties: ['target'],
  capabilities: { ...storedInput, unique: false, defaultable: true },
  expected: 'a record id',
  storage: () => ({ kind: 'column', columnType: 'uuid' }),
  valueKind: () => 'uuid',
  inputSchema: () => referenceInputSchema,
  normalize: normalizeReference,
  output: (value) => value,
  toRule: (value) => value,
  describe: (def) => ({ widget: 'lookup', valueKind: 'uuid', target: def.target, onDelete: 'cascade' }),
};
