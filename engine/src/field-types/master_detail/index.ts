import { i18nTextSchema } from '../../documents/i18n';
import type { MasterDetailField } from '../../documents/types';
import { referenceType, renameTarget } from '../shared/reference-type';

/** A foreign key whose detail records live and die with their master (cascade delete); always required. */
export const masterDetailType = referenceType<MasterDetailField>({
  type: 'master_detail',
  expected: 'a record id',
  definitionProperties: { target: { type: 'string' }, related_label: i18nTextSchema },
  requiredProperties: ['target'],
  unique: false,
  describe: (def) => ({ widget: 'lookup', target: def.target, onDelete: 'cascade' }),
  reference: (def) => ({ to: 'record', target: def.target, onDelete: 'cascade', owned: true }),
  extra: { renamed: renameTarget },
});
