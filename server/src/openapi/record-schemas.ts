import type { DescribedObject } from './described-object';
import { rowResultsSchema } from './record-shared-schemas';
import { englishText, labelKeywords } from './labels';
import { inputValueSchema, readValueSchema, type ReadContext } from './field-value-schemas';
import { schemaRef, type CompiledField, type CompiledObject, type SchemaObject } from './types';
import { MAX_BULK_ROWS } from '@crm/engine';
import { isRequired } from '@crm/engine/core';

/**
 * The component schemas of one object's records: `X` (what the API returns), `X_create` and
 * `X_update` (what it accepts), `X_list` (a page), and the bulk request and result.
 * Built from the compiled object as one viewer may use it (described-object.ts), so they are
 * exactly the fields and types the write pipeline checks for that viewer, and only the schemas
 * of operations they may use.
 */

export { MAX_BULK_ROWS };

const DERIVED = {
  create: 'create',
  update: 'update',
  list: 'list',
  bulkRecord: 'bulk_record',
  bulkRequest: 'bulk_request',
  bulkResult: 'bulk_result',
} as const;

export type RecordSchemaNames = { readonly read: string } & { readonly [K in keyof typeof DERIVED]: string };

/**
 * Component names of an object's schemas: `X`, `X_create`, `X_update`, `X_list`, ... An object
 * may be called like another's derived schema (`price` and `price_list`); the object keeps its
 * name and the derived schema takes `__` (`price__list`), which no API name can contain.
 */
export function recordSchemaNames(objectName: string, objectNames: ReadonlySet<string>): RecordSchemaNames {
  const derived = Object.fromEntries(
    Object.entries(DERIVED).map(([key, suffix]) => {
      const name = `${objectName}_${suffix}`;
      return [key, objectNames.has(name) ? `${objectName}__${suffix}` : name];
    }),
  ) as { [K in keyof typeof DERIVED]: string };
  return { read: objectName, ...derived };
}

// The write pipeline's isRequired (a detail always has a master), and system columns always hold
// a value (owner_id defaults to the caller).
function mustHoldValue(field: CompiledField): boolean {
  return field.system || isRequired(field);
}

/** Required in a create body: must hold a value and nothing fills it in (defaults are applied before the check). */
export function isRequiredOnCreate(field: CompiledField): boolean {
  return !field.system && mustHoldValue(field) && field.definition.default === undefined;
}

function inputProperties(described: DescribedObject, context: ReadContext, showDefault: boolean): Record<string, SchemaObject> {
  return Object.fromEntries(
    described.inputFields.map((f) => [f.name, inputValueSchema(f, context.types, { nullable: !mustHoldValue(f), showDefault })]),
  );
}

function objectLabel(object: CompiledObject): string {
  return englishText(object.definition.label) ?? object.name;
}

function readSchema(described: DescribedObject, context: ReadContext): SchemaObject {
  const { object } = described;
  const { description, ...label } = labelKeywords(object.definition);
  return {
    type: 'object',
    ...label,
    description: [
      description,
      `One ${objectLabel(object)} record. Every field is returned unless the request's \`fields\` narrowed the selection; \`id\` always is.`,
    ]
      .filter(Boolean)
      .join('\n\n'),
    ...(object.definition.plural_label !== undefined ? { 'x-crm-plural-label': labelKeywords({ label: object.definition.plural_label })['x-crm-label'] } : {}),
    ...(object.definition.title_field ? { 'x-crm-title-field': object.definition.title_field } : {}),
    properties: Object.fromEntries(described.fields.map((f) => [f.name, readValueSchema(f, context, described.readOnly.has(f.name))])),
    required: ['id'],
  };
}

function createSchema(described: DescribedObject, context: ReadContext): SchemaObject {
  const required = described.inputFields.filter(isRequiredOnCreate).map((f) => f.name);
  return {
    type: 'object',
    title: `New ${objectLabel(described.object)}`,
    description: 'Fields of a new record. Computed fields (formula, rollup, autonumber) and read-only fields are not accepted; defaults fill fields left out.',
    properties: inputProperties(described, context, true),
    ...(required.length ? { required } : {}),
    additionalProperties: false,
  };
}

function updateSchema(described: DescribedObject, context: ReadContext): SchemaObject {
  return {
    type: 'object',
    title: `${objectLabel(described.object)} changes`,
    description: 'The fields to change; fields left out keep their values. null clears a field, except on required ones.',
    properties: inputProperties(described, context, false),
    additionalProperties: false,
  };
}

function listSchema(object: CompiledObject, names: RecordSchemaNames): SchemaObject {
  return {
    type: 'object',
    title: `${objectLabel(object)} page`,
    properties: {
      data: { type: 'array', items: schemaRef(names.read) },
      next_cursor: { type: ['string', 'null'], description: 'Pass as `cursor` for the next page; null on the last page.' },
      total: { type: 'integer', minimum: 0, description: 'Number of matching records (only with `count=true`).' },
    },
    required: ['data', 'next_cursor'],
  };
}

/** Bulk operations the viewer may run: create needs create, update needs edit, upsert both. */
export function bulkOperations(described: DescribedObject): ('create' | 'update' | 'upsert')[] {
  const { create, edit } = described.may;
  return [...(create ? ['create' as const] : []), ...(edit ? ['update' as const] : []), ...(create && edit ? ['upsert' as const] : [])];
}

function upsertField(described: DescribedObject, operations: readonly string[]): SchemaObject {
  // The unique value is written on create, so it must be a field the viewer may send.
  const unique = described.inputFields.filter((f) => !f.system && f.definition.unique === true).map((f) => f.name);
  const label = objectLabel(described.object);
  if (!operations.includes('upsert')) return { not: {}, description: `Upsert needs both create and edit access to ${label}, so it is not available.` };
  if (unique.length === 0) return { not: {}, description: `${label} has no unique field you may write, so upsert is not available.` };
  return { type: 'string', enum: unique, description: 'The unique field that finds the record to update (upsert only).' };
}

function bulkSchemas(described: DescribedObject, context: ReadContext): Record<string, SchemaObject> {
  const { names } = described;
  const operations = bulkOperations(described);
  const shapes = [
    ...(described.may.create ? [`for create${described.may.edit ? ' and upsert' : ''} the fields of \`${names.create}\` (its required fields included)`] : []),
    ...(described.may.edit ? [`for update the fields of \`${names.update}\` with the record's \`id\``] : []),
  ];
  const bulkRecord: SchemaObject = {
    type: 'object',
    description: `One row: ${shapes.join('; ')}.`,
    properties: {
      ...(described.may.edit
        ? {
            id: { type: 'string', format: 'uuid', description: 'The record to update (update only).' },
            version: { type: 'integer', description: 'Expected current version (update only): a different one fails that row with stale_version.' },
          }
        : {}),
      ...inputProperties(described, context, false),
    },
    additionalProperties: false,
  };
  const bulkRequest: SchemaObject = {
    type: 'object',
    properties: {
      operation: { type: 'string', enum: operations },
      upsert_field: upsertField(described, operations),
      all_or_nothing: { type: 'boolean', description: 'Write every row or none: one failure rolls all back. Default: false.' },
      records: { type: 'array', items: schemaRef(names.bulkRecord), minItems: 1, maxItems: MAX_BULK_ROWS },
    },
    required: ['operation', 'records'],
    additionalProperties: false,
  };
  const bulkResult = rowResultsSchema({ index: { type: 'integer', minimum: 0, description: 'Position of the row in `records`.' } }, {}, schemaRef(names.read));
  return { [names.bulkRecord]: bulkRecord, [names.bulkRequest]: bulkRequest, [names.bulkResult]: bulkResult };
}

/**
 * The schemas of the operations the viewer may use. `X` is there for anyone who may create, too:
 * a create answers with the new record (without the fields hidden from them).
 */
export function recordSchemas(described: DescribedObject, context: ReadContext): Record<string, SchemaObject> {
  const { names, may } = described;
  return {
    [names.read]: readSchema(described, context),
    ...(may.create ? { [names.create]: createSchema(described, context) } : {}),
    ...(may.edit ? { [names.update]: updateSchema(described, context) } : {}),
    ...(may.read ? { [names.list]: listSchema(described.object, names) } : {}),
    ...(may.create || may.edit ? bulkSchemas(described, context) : {}),
  };
}
