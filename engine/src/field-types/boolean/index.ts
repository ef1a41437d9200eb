import type { BooleanField } from '../../documents/types';
import type { FieldTypeModule } from '../field-type';
import { storedInput } from '../shared/capabilities';

const TRUE_TEXT = new Set(['true', '1', 'yes', 'y', 'on']);

export const booleanType: FieldTypeModule<BooleanField> = {
  type: 'boolean',
  definitionProperties: {},
  capabilities: { ...storedInput, unique: false },
  expected: 'true or false',
  storage: () => ({ kind: 'column', columnType: 'boolean' }),
  valueKind: () => 'boolean',
  // Form posts and CSV imports send text; accept the usual spellings.
  inputSchema: () => ({ anyOf: [{ type: 'boolean' }, { type: 'string', pattern: '^([tT][rR][uU][eE]|[fF][aA][lL][sS][eE]|1|0|[yY][eE][sS]|[nN][oO]|[yYnN]|[oO][nN]|[oO][fF][fF])$' }] }),
  normalize: (value) => ({ ok: true, value: typeof value === 'boolean' ? value : TRUE_TEXT.has((value as string).toLowerCase()) }),
  output: (value) => value,
  toRule: (value) => value,
  controllingValues: () => ['true', 'false'],
  describe: () => ({ widget: 'checkbox', valueKind: 'boolean' }),
};
