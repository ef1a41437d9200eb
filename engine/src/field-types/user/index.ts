import type { UserField } from '../../documents/types';
import { referenceType } from '../shared/reference-type';

/** A foreign key to the users system table. */
export const userType = referenceType<UserField>({
  type: 'user',
  expected: 'a user id',
  definitionProperties: { on_delete: { enum: ['restrict', 'set_null'] } },
  unique: false,
  describe: () => ({ widget: 'user' }),
  reference: (def) => ({ to: 'user', onDelete: def.on_delete ?? 'set_null' }),
  extra: { emailRecipient: 'user' },
});
