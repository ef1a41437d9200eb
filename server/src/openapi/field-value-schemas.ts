import type { CompiledMetadata, SelectOption } from '@crm/engine';
import { labelKeywords } from './labels';
import { schemaRef, type CompiledField, type SchemaObject } from './types';

/**
 * The JSON Schema of one field's value, as the API returns it (read) and as it accepts it
 * (input). Input schemas are the field type's own `inputSchema`, the one the write pipeline
 * validates with, so the document cannot drift from what the server accepts. The read side is
 * derived from the value kind and the column type, because that is what the database hands
 * back (a numeric column comes back as an exact string, a bigint as a number).
 */

export type TypeContext = Parameters<CompiledField['type']['describe']>[1];

/** Lets a field type look at other objects' fields (a rollup at the child field it aggregates). */
export function typeContextOf(metadata: CompiledMetadata): TypeContext {
  return { field: (object, field) => metadata.findObject(object)?.fieldsByName.get(field)?.definition };
}

/** What a returned value's schema depends on besides its field. */
export interface ReadContext {
  readonly types: TypeContext;
  /** What an expanded lookup to `target` comes back as for the viewer: the record, or only its id when they may not read it. */
  expandedRecord(target: string): SchemaObject;
}

export const EXPANDED_USER_SCHEMA = 'ExpandedUser';

const DECIMAL_TEXT = '^-?\\d+(\\.\\d+)?$';

/** Reference fields `expand` can inline: lookups, master-detail and user fields, not the record's own id. */
export function isExpandable(field: CompiledField): boolean {
  return field.kind === 'uuid' && field.name !== 'id';
}

/** Options in display order, as the type describes them to clients (select and multiselect). */
function optionsOf(field: CompiledField, context: TypeContext): readonly SelectOption[] | undefined {
  const options = field.type.describe(field.definition, context).options;
  return Array.isArray(options) ? (options as readonly SelectOption[]) : undefined;
}

function targetOf(field: CompiledField): string | undefined {
  return 'target' in field.definition ? field.definition.target : undefined;
}

/** Adds null to a schema the way 3.1 spells it (`type: [..., 'null']`) where the schema allows. */
export function orNull(schema: SchemaObject): SchemaObject {
  if (Object.keys(schema).length === 0) return schema; // `{}` admits null already
  if (typeof schema.type === 'string') {
    return {
      ...schema,
      type: [schema.type, 'null'],
      ...(Array.isArray(schema.enum) ? { enum: [...(schema.enum as unknown[]), null] } : {}),
    };
  }
  if (Array.isArray(schema.oneOf)) return { ...schema, oneOf: [...(schema.oneOf as unknown[]), { type: 'null' }] };
  if (Array.isArray(schema.anyOf)) return { ...schema, anyOf: [...(schema.anyOf as unknown[]), { type: 'null' }] };
  return { anyOf: [schema, { type: 'null' }] };
}

function pick(schema: SchemaObject, keywords: readonly string[]): SchemaObject {
  return Object.fromEntries(keywords.filter((k) => schema[k] !== undefined).map((k) => [k, schema[k]]));
}

/** The decimal places of a numeric(p,s) column, or undefined for other storage. */
function columnScale(field: CompiledField): { precision: number; scale: number } | undefined {
  if (field.storage.kind !== 'column') return undefined;
  const match = /^numeric\((\d+),(\d+)\)$/.exec(field.storage.columnType);
  return match ? { precision: Number(match[1]), scale: Number(match[2]) } : undefined;
}

function numberReadSchema(field: CompiledField): SchemaObject {
  if (field.storage.kind === 'virtual') return { type: 'number' }; // formulas compute in JavaScript
  if (field.storage.columnType === 'bigint') return { type: 'integer' };
  // numeric columns come back as exact strings with exactly `scale` decimals; never a float.
  const numeric = columnScale(field);
  if (!numeric) return { type: 'string', pattern: DECIMAL_TEXT, description: 'An exact decimal number as a string.' };
  const pattern = numeric.scale === 0 ? '^-?\\d+$' : `^-?\\d+\\.\\d{${numeric.scale}}$`;
  return { type: 'string', pattern, 'x-crm-scale': numeric.scale };
}

function stringReadSchema(field: CompiledField, context: TypeContext): SchemaObject {
  const input = field.type.inputSchema(field.definition);
  // Length and format hold for stored values (narrowing them is checked against the data);
  // a text pattern is not re-checked when it changes, so old values may not match it.
  const base: SchemaObject = input.type === 'string' ? { type: 'string', ...pick(input, ['maxLength', 'format']) } : { type: 'string' };
  const options = optionsOf(field, context);
  return options ? { ...base, enum: options.map((o) => o.value) } : base;
}

function baseReadSchema(field: CompiledField, context: TypeContext): SchemaObject {
  switch (field.kind) {
    case 'string':
      return stringReadSchema(field, context);
    case 'uuid':
      return { type: 'string', format: 'uuid' };
    case 'number':
      return numberReadSchema(field);
    case 'boolean':
      return { type: 'boolean' };
    case 'date':
      return { type: 'string', format: 'date' };
    case 'datetime':
      return { type: 'string', format: 'date-time' };
    case 'string_array': {
      // All options, retired ones included: records keep the values they hold.
      const options = optionsOf(field, context);
      return { type: 'array', items: { type: 'string', ...(options ? { enum: options.map((o) => o.value) } : {}) } };
    }
    case 'json':
      return {};
  }
}

/** With `expand`, a reference comes back as the referenced record or user (see ReadContext). */
function withExpansion(field: CompiledField, id: SchemaObject, context: ReadContext): SchemaObject {
  if (!isExpandable(field)) return id;
  const target = targetOf(field);
  return { oneOf: [id, target ? context.expandedRecord(target) : schemaRef(EXPANDED_USER_SCHEMA)] };
}

// Every system column is NOT NULL except deleted_at, which is what marks a record as in the bin.
function isNullableOnRead(field: CompiledField): boolean {
  return !field.system || field.name === 'deleted_at';
}

// Docs tools invent examples from patterns ("9894-68-17", a 90-digit amount); give them real ones.
function exampleFor(field: CompiledField): string | undefined {
  switch (field.kind) {
    case 'date':
      return '2024-05-01';
    case 'datetime':
      return '2024-05-01T02:00:00.000Z';
    case 'uuid':
      return '3fa85f64-5717-4562-b3fc-2c963f66afa6';
    case 'number': {
      const numeric = columnScale(field);
      if (!numeric) return undefined;
      const whole = numeric.precision - numeric.scale >= 2 ? '12' : '1';
      return numeric.scale > 0 ? `${whole}.${'5'.padEnd(numeric.scale, '0')}` : whole;
    }
    default:
      return undefined;
  }
}

function annotations(field: CompiledField, context: TypeContext): SchemaObject {
  const descriptor = field.type.describe(field.definition, context);
  const target = targetOf(field);
  const example = exampleFor(field);
  return {
    ...labelKeywords(field.definition),
    // System fields are described by the engine as ordinary types (id as a lookup to itself); their type is no news.
    ...(field.system ? { 'x-crm-system': true } : { 'x-crm-type': field.definition.type }),
    ...(target && !field.system ? { 'x-crm-target': target } : {}),
    ...(typeof descriptor.currencyCode === 'string' ? { 'x-crm-currency': descriptor.currencyCode } : {}),
    ...(example !== undefined ? { examples: [example] } : {}),
  };
}

/**
 * A field's value in a returned record. `readOnly` when the API never accepts it: computed and
 * system fields, and fields the viewer's role makes read-only.
 */
export function readValueSchema(field: CompiledField, context: ReadContext, readOnly: boolean): SchemaObject {
  const base = withExpansion(field, baseReadSchema(field, context.types), context);
  const { description: valueNote, ...value } = base;
  const annotated = annotations(field, context.types);
  return {
    ...(isNullableOnRead(field) ? orNull(value) : value),
    ...annotated,
    ...(valueNote && !annotated.description ? { description: valueNote } : {}),
    ...(readOnly || !field.writable ? { readOnly: true } : {}),
  };
}

/** A constant default (not a rule computed from other fields), which a schema can state. */
export function constantDefault(field: CompiledField): string | number | boolean | undefined {
  const value = field.definition.default;
  return typeof value === 'string' || typeof value === 'number' || typeof value === 'boolean' ? value : undefined;
}

/**
 * A writable field's value in a create or update body. Null clears a value, except on fields
 * that must hold one (`nullable: false`). Only active options may be chosen (a retired option
 * is accepted only where the record already holds it, which a schema cannot say).
 */
export function inputValueSchema(
  field: CompiledField,
  context: TypeContext,
  options: { readonly nullable: boolean; readonly showDefault: boolean },
): SchemaObject {
  const input = field.type.inputSchema(field.definition);
  const active = optionsOf(field, context)
    ?.filter((o) => o.active !== false)
    .map((o) => o.value);
  let value: SchemaObject = input;
  if (active && field.kind === 'string') value = { ...input, enum: active };
  if (active && field.kind === 'string_array') value = { ...input, items: { ...(input.items as SchemaObject), enum: active }, uniqueItems: true };
  const fallback = options.showDefault ? constantDefault(field) : undefined;
  const annotated = annotations(field, context);
  return {
    ...(options.nullable ? orNull(value) : value),
    ...annotated,
    // Not the `default` keyword: generators such as openapi-typescript read it as "always present"
    // and would make the property required in request bodies, the opposite of what it means here.
    ...(fallback !== undefined
      ? { 'x-crm-default': fallback, description: [annotated.description, `Default: ${JSON.stringify(fallback)}.`].filter(Boolean).join(' ') }
      : {}),
  };
}
