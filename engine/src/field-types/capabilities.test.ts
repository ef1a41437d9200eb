import { describe, expect, it } from 'vitest';
import { FIELD_TYPES, type FieldDefinition, type FieldType } from '../documents/types';
import type { DefinitionRename } from './field-type';
import {
  aggregateOf,
  allFieldTypes,
  computationOf,
  expressionOf,
  fieldTypeOf,
  initialValueOf,
  isFieldType,
  isRecordReference,
  recordReferenceOf,
  referenceOf,
} from './registry';

/** The properties each type requires, so every type has a definition to ask. */
const REQUIRED: Partial<Record<FieldType, Record<string, unknown>>> = {
  select: { options: [{ value: 'a', label: 'A' }, { value: 'b', label: 'B' }] },
  multiselect: { options: [{ value: 'a', label: 'A' }] },
  lookup: { target: 'account' },
  master_detail: { target: 'account' },
  autonumber: { pattern: 'N-{000}' },
  formula: { expression: { var: 'amount' }, result_type: 'number' },
  rollup: { child_object: 'line', relationship_field: 'order_id', aggregate: 'count' },
};

function definition(type: FieldType, extra: Record<string, unknown> = {}): FieldDefinition {
  return { name: 'f', label: 'F', type, ...REQUIRED[type], ...extra } as FieldDefinition;
}

/** The types of which `has` holds, each asked with its minimal definition. */
function typesWhere(has: (def: FieldDefinition) => boolean): FieldType[] {
  return FIELD_TYPES.filter((type) => has(definition(type)));
}

const rename = (kind: 'field' | 'object', object: string, own: boolean): DefinitionRename => ({
  kind,
  object,
  from: 'old',
  to: 'new',
  own,
  renameVars: (rule) => JSON.parse(JSON.stringify(rule).replaceAll('"old"', '"new"')) as unknown,
});

describe('field-type capabilities', () => {
  it('has a module for every type, and knows no other name', () => {
    expect(allFieldTypes().map((t) => t.type).sort()).toEqual([...FIELD_TYPES].sort());
    expect(FIELD_TYPES.every(isFieldType)).toBe(true);
    for (const name of ['', 'lookups', 'toString', '__proto__', 1, null]) expect(isFieldType(name), String(name)).toBe(false);
  });

  it('says what a reference points at: records for lookup and master_detail (the master owns its details), users for user', () => {
    expect(typesWhere((def) => referenceOf(def) !== undefined)).toEqual(['lookup', 'master_detail', 'user']);
    expect(typesWhere(isRecordReference)).toEqual(['lookup', 'master_detail']);
    expect(recordReferenceOf(definition('lookup'))).toEqual({ to: 'record', target: 'account', onDelete: 'set_null', owned: false });
    expect(recordReferenceOf(definition('lookup', { on_delete: 'restrict' }))?.onDelete).toBe('restrict');
    expect(recordReferenceOf(definition('master_detail'))).toEqual({ to: 'record', target: 'account', onDelete: 'cascade', owned: true });
    expect(referenceOf(definition('user'))).toEqual({ to: 'user', onDelete: 'set_null' });
    expect(recordReferenceOf(definition('user', { on_delete: 'restrict' }))).toBeUndefined();
  });

  it('says how a computed value is made: formula on read, rollup from children, autonumber from a counter', () => {
    expect(typesWhere((def) => computationOf(def) !== undefined)).toEqual(['autonumber', 'formula', 'rollup']);
    expect(computationOf(definition('formula'))).toEqual({ kind: 'expression', expression: { var: 'amount' } });
    expect(expressionOf(definition('formula'))).toEqual({ var: 'amount' });
    expect(expressionOf(definition('rollup'))).toBeUndefined();
    expect(aggregateOf(definition('rollup'))).toEqual(definition('rollup'));
    expect(aggregateOf(definition('formula'))).toBeUndefined();
    expect(computationOf(definition('autonumber'))).toEqual({ kind: 'sequence', pattern: 'N-{000}', startAt: 1 });
    expect(computationOf(definition('autonumber', { start_at: 500 }))).toMatchObject({ startAt: 500 });
  });

  it('starts rollup counts and sums at zero on a new record, and nothing else', () => {
    expect(typesWhere((def) => initialValueOf(def) !== undefined)).toEqual(['rollup']);
    expect(initialValueOf(definition('rollup', { aggregate: 'sum', aggregate_field: 'amount' }))).toBe(0);
    expect(initialValueOf(definition('rollup', { aggregate: 'min', aggregate_field: 'amount' }))).toBeUndefined();
    expect(initialValueOf(definition('rollup', { aggregate: 'max', aggregate_field: 'amount' }))).toBeUndefined();
  });

  it('lets select and boolean fields control dependent options, with the values they offer', () => {
    expect(typesWhere((def) => fieldTypeOf(def).controllingValues !== undefined)).toEqual(['boolean', 'select']);
    expect(fieldTypeOf(definition('select')).controllingValues!(definition('select'))).toEqual(['a', 'b']);
    expect(fieldTypeOf(definition('boolean')).controllingValues!(definition('boolean'))).toEqual(['true', 'false']);
  });

  it('names the temporal types, the email recipients and the types that can name a record', () => {
    expect(typesWhere((def) => fieldTypeOf(def).temporal !== undefined)).toEqual(['date', 'datetime']);
    expect(fieldTypeOf(definition('date')).temporal).toBe('date');
    expect(typesWhere((def) => fieldTypeOf(def).emailRecipient !== undefined)).toEqual(['email', 'user']);
    expect(fieldTypeOf(definition('email')).emailRecipient).toBe('address');
    expect(fieldTypeOf(definition('user')).emailRecipient).toBe('user');
    expect(typesWhere((def) => fieldTypeOf(def).nameable === true).sort()).toEqual(['autonumber', 'email', 'formula', 'integer', 'phone', 'select', 'text', 'url']);
  });

  it('reports a pattern only where the definition sets one', () => {
    expect(typesWhere((def) => fieldTypeOf(def).declaredPattern?.(def) !== undefined)).toEqual([]);
    const withPattern = definition('text', { pattern: '^[A-Z]+$' });
    expect(fieldTypeOf(withPattern).declaredPattern!(withPattern)).toBe('^[A-Z]+$');
  });

  it('reads a spreadsheet cell as the type takes input, leaving what does not fit for the pipeline to report', () => {
    const cell = (type: FieldType, text: string) => {
      const module = fieldTypeOf(definition(type));
      return module.fromCell ? module.fromCell(text) : text.trim();
    };
    expect(cell('integer', ' 42 ')).toBe(42);
    expect(cell('integer', '4.5')).toBe('4.5');
    expect(cell('multiselect', ' a; b ;;c ')).toEqual(['a', 'b', 'c']);
    expect(cell('json', ' {"a":1} ')).toEqual({ a: 1 });
    expect(cell('json', '{oops')).toBe('{oops');
    expect(cell('textarea', '  two\nlines  ')).toBe('  two\nlines  ');
    expect(cell('text', '  padded  ')).toBe('padded');
  });

  it('follows renames through what a definition names', () => {
    const renamed = (def: FieldDefinition, r: DefinitionRename) => fieldTypeOf(def).renamed?.(def, r) ?? def;
    const formula = definition('formula', { expression: { '+': [{ var: 'old' }, 1] } });
    expect(renamed(formula, rename('field', 'order', true))).toMatchObject({ expression: { '+': [{ var: 'new' }, 1] } });
    expect(renamed(formula, rename('field', 'other', false))).toEqual(formula);
    const dependent = definition('select', { controlling_field: 'old' });
    expect(renamed(dependent, rename('field', 'order', true))).toMatchObject({ controlling_field: 'new' });
    expect(renamed(dependent, rename('field', 'other', false))).toEqual(dependent);
    const rollup = definition('rollup', { child_object: 'line', relationship_field: 'old', aggregate: 'sum', aggregate_field: 'old', filter: { var: 'old' } });
    expect(renamed(rollup, rename('field', 'line', false))).toMatchObject({ relationship_field: 'new', aggregate_field: 'new', filter: { var: 'new' } });
    expect(renamed(rollup, rename('field', 'order', true))).toEqual(rollup);
    expect(renamed(definition('rollup', { child_object: 'old' }), rename('object', 'old', false))).toMatchObject({ child_object: 'new' });
    expect(renamed(definition('lookup', { target: 'old' }), rename('object', 'old', false))).toMatchObject({ target: 'new' });
    expect(renamed(definition('master_detail', { target: 'old' }), rename('field', 'old', false))).toMatchObject({ target: 'old' });
  });

  it('tells the UI how a computed number reads: a formula by its scale and currency, a rollup as the field it aggregates', () => {
    const context = { field: (_object: string, name: string) => ({ amount: { name, label: 'A', type: 'currency', currency_code: 'CNY' }, rate: { name, label: 'R', type: 'percent', scale: 1 } })[name] as FieldDefinition | undefined };
    const describe = (def: FieldDefinition) => fieldTypeOf(def).describe(def, context);
    expect(describe(definition('formula', { currency_code: 'CNY' }))).toMatchObject({ display: 'currency', currencyCode: 'CNY', scale: 2 });
    expect(describe(definition('formula', { scale: 0 }))).toMatchObject({ display: 'decimal', scale: 0 });
    expect(describe(definition('formula', { result_type: 'date' }))).not.toHaveProperty('display');
    expect(describe(definition('rollup', { aggregate: 'sum', aggregate_field: 'amount' }))).toMatchObject({ display: 'currency', currencyCode: 'CNY', scale: 2 });
    expect(describe(definition('rollup', { aggregate: 'max', aggregate_field: 'rate' }))).toMatchObject({ display: 'percent', scale: 1 });
    expect(describe(definition('rollup'))).toMatchObject({ display: 'integer' });
  });
});
