import type { AutonumberField } from '../../documents/types';
import type { FieldTypeModule } from '../field-type';
import { storedInput } from '../shared/capabilities';
import { reason } from '../../errors';

const PATTERN = /^([^{}]*)\{(0+)\}([^{}]*)$/;

export interface AutonumberFormat {
  readonly prefix: string;
  readonly width: number;
  readonly suffix: string;
}

export function parseAutonumberPattern(pattern: string): AutonumberFormat | undefined {
  const match = PATTERN.exec(pattern);
  if (!match) return undefined;
  return { prefix: match[1]!, width: match[2]!.length, suffix: match[3]! };
}

export function formatAutonumber(format: AutonumberFormat, n: number): string {
  return `${format.prefix}${String(n).padStart(format.width, '0')}${format.suffix}`;
}

/** Numbers records as they are created (`OPP-0042`); the counter is gap-free (see records/autonumber). */
export const autonumberType: FieldTypeModule<AutonumberField> = {
  type: 'autonumber',
  definitionProperties: {
    pattern: { type: 'string', minLength: 3, maxLength: 60 },
    start_at: { type: 'integer', minimum: 0, maximum: 1_000_000_000 },
  },
  requiredProperties: ['pattern'],
  // Searchable: a record's number is what people type to find it.
  capabilities: { ...storedInput, input: false, defaultable: false, requirable: false, unique: false, searchable: true },
  nameable: true,
  expected: 'nothing (it is assigned automatically)',
  storage: () => ({ kind: 'column', columnType: 'text' }),
  valueKind: () => 'string',
  inputSchema: () => ({ not: {} }),
  normalize: (value) => ({ ok: true, value }),
  output: (value) => value,
  toRule: (value) => value,
  check: (def) =>
    parseAutonumberPattern(def.pattern)
      ? []
      : [{ path: 'pattern', reason: reason('autonumber_pattern', { example: 'OPP-{0000}' }) }],
  computed: (def) => ({ kind: 'sequence', pattern: def.pattern, startAt: def.start_at ?? 1 }),
  describe: (def) => ({ widget: 'autonumber', valueKind: 'string', pattern: def.pattern, readOnly: true }),
};
