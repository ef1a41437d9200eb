import type { RollupField } from '../../documents/types';
import type { ValueKind } from '../../rules/scope';
import type { ColumnType, FieldTypeModule, Storage, TypeContext } from '../field-type';
import { reason } from '../../errors';

/** What a rollup aggregates, as far as its result type is concerned. */
function aggregatedKind(def: RollupField, context: TypeContext): ValueKind {
  if (def.aggregate === 'count' || !def.aggregate_field) return 'number';
  const child = context.field(def.child_object, def.aggregate_field);
  if (child?.type === 'date') return 'date';
  if (child?.type === 'datetime') return 'datetime';
  return 'number';
}

/**
 * How a sum, min or max reads: as the aggregated field does (a sum of amounts is money in their
 * currency); a count is a whole number. `display` tells the UI which number format to use.
 */
function aggregatedDisplay(def: RollupField, context: TypeContext): Record<string, unknown> {
  if (def.aggregate === 'count') return { display: 'integer' };
  const child = def.aggregate_field ? (context.field(def.child_object, def.aggregate_field) as { type: string; currency_code?: string; scale?: number } | undefined) : undefined;
  const scale = child?.scale !== undefined ? { scale: child.scale } : {};
  switch (child?.type) {
    case 'currency':
      return { display: 'currency', scale: child.scale ?? 2, ...(child.currency_code ? { currencyCode: child.currency_code } : {}) };
    case 'percent':
      return { display: 'percent', ...scale };
    case 'decimal':
    case 'integer':
      return { display: child.type, ...scale };
    default:
      return {};
  }
}

const COLUMN: Partial<Record<ValueKind, ColumnType>> = { number: 'numeric', date: 'date', datetime: 'timestamptz(3)' };

/**
 * count/sum/min/max over a child object's records, stored on the parent and recomputed in the
 * same transaction as every child write that can change it (records/rollups).
 */
export const rollupType: FieldTypeModule<RollupField> = {
  type: 'rollup',
  definitionProperties: {
    child_object: { type: 'string' },
    relationship_field: { type: 'string' },
    aggregate: { enum: ['count', 'sum', 'min', 'max'] },
    aggregate_field: { type: 'string' },
    filter: {},
  },
  requiredProperties: ['child_object', 'relationship_field', 'aggregate'],
  capabilities: {
    input: false,
    sortable: true,
    filterable: true,
    searchable: false,
    unique: false,
    indexable: true,
    defaultable: false,
    requirable: false,
  },
  expected: 'nothing (it is computed)',
  storage(def, context): Storage {
    if (def.aggregate === 'count') return { kind: 'column', columnType: 'bigint' };
    return { kind: 'column', columnType: COLUMN[aggregatedKind(def, context)] ?? 'numeric' };
  },
  valueKind: aggregatedKind,
  inputSchema: () => ({ not: {} }),
  normalize: (value) => ({ ok: true, value }),
  output: (value) => value,
  toRule: (value) => (typeof value === 'string' && /^-?\d/.test(value) && !/^\d{4}-\d\d-\d\d/.test(value) ? Number(value) : value),
  check: (def) =>
    def.aggregate !== 'count' && !def.aggregate_field ? [{ path: 'aggregate_field', reason: reason('required_for_aggregate', { aggregate: def.aggregate }) }] : [],
  computed: (def) => ({ kind: 'aggregate', rollup: def }),
  // A new parent has no children yet: its counts and sums start at zero, not unknown.
  initialValue: (def) => (def.aggregate === 'count' || def.aggregate === 'sum' ? 0 : undefined),
  renamed(def, rename) {
    if (rename.kind === 'object') return def.child_object === rename.from ? { ...def, child_object: rename.to } : def;
    if (def.child_object !== rename.object) return def;
    const name = (field: string): string => (field === rename.from ? rename.to : field);
    return {
      ...def,
      relationship_field: name(def.relationship_field),
      ...(def.aggregate_field !== undefined ? { aggregate_field: name(def.aggregate_field) } : {}),
      ...(def.filter !== undefined ? { filter: rename.renameVars(def.filter) } : {}),
    };
  },
  describe: (def, context) => ({ widget: 'rollup', valueKind: aggregatedKind(def, context), aggregate: def.aggregate, ...aggregatedDisplay(def, context), readOnly: true }),
};
