import type { BooleanField } from '../../documents/types';
import type { FieldTypeModule } from '../field-type';
import { storedInput } from '../shared/capabilities';

const TRUE_TEXT = new Set(['true', '1', 'yes', 'y', 'on']);
// Spreadsheets kept in Chinese say 是/否, or tick a cell; only imports read these.
const TRUE_CELL = new Set(['是', '√', '✓', '✔', '对', '真']);
const FALSE_CELL = new Set(['否', '×', '✗', '✘', '错', '假']);

export const booleanType: FieldTypeModule<BooleanField> = {
  type: 'boolean',
  definitionProperties: {},
  capabilities: { ...storedInput, unique: false },
  expected: 'true or false',
  storage: () => ({ kind: 'column', columnType: 'boolean' }),
  valueKind: () => 'boolean',
  // Form posts and CSV imports send text; accept the usual spellings.
  inputSchema: () => ({ anyOf: [{ type: 'boolean' }, { type: 'string', pattern: '^([tT][rR][uU][eE]|[fF][aA][lL][sS][eE]|1|0|[yY][eE][sS]|[nN][oO]|[yYnN]|[oO][nN]|[oO][fF][fF])$' }] }),
  fromCell(cell) {
    const text = cell.trim();
    return TRUE_CELL.has(text) ? true : FALSE_CELL.has(text) ? false : text;
  },
  normalize: (value) => ({ ok: true, value: typeof value === 'boolean' ? value : TRUE_TEXT.has((value as string).toLowerCase()) }),
  output: (value) => value,
  toRule: (value) => value,
  controllingValues: () => ['true', 'false'],
  describe: () => ({ widget: 'checkbox', valueKind: 'boolean' }),
};
