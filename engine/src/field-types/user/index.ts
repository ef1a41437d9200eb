import type { UserField } from '../../metadata/types';
import type { FieldTypeModule } from '../field-type';
import { storedInput } from '../shared/capabilities';
import { normalizeReference, referenceInputSchema } from '../shared/reference-type';

/** A foreign key to the users system table. */
export const userType: FieldTypeModule<UserField> = {
  type: 'user',
  definitionProperties: { on_delete: { enum: ['restrict', 'set_null'] } },
  capabilities: { ...storedInput, unique: false },
  expected: 'a user id',
  storage: () => ({ kind: 'column', columnType: 'uuid' }),
  valueKind: () => 'uuid',
  inputSchema: () => referenceInputSchema,
  normalize: normalizeReference,
  output: (value) => value,
  toRule: (value) => value,
  describe: () => ({ widget: 'user', valueKind: 'uuid' }),
};
