import { ERROR_DETAIL_SCHEMA } from './error-schemas';
import { englishText, labelKeywords } from './labels';
import { inputValueSchema, readValueSchema, type TypeContext } from './field-value-schemas';
import { schemaRef, type CompiledField, type CompiledObject, type SchemaObject } from './types';
import { MAX_BULK_ROWS } from '@crm/engine';

/**
 * The component schemas of one object's records: `X` (what the API returns), `X_create` and
 * `X_update` (what it accepts), `X_list` (a page), and the bulk request and result. Built from
 * the compiled object, so they are exactly the fields and types the write pipeline checks.
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

// Mirrors the write pipeline's isRequired (engine records/input.ts): a detail always has a
// master; system columns always hold a value (owner_id defaults to the caller).
function mustHoldValue(field: CompiledField): boolean {
  return field.system || field.definition.required === true || field.definition.type === 'master_detail';
}

/** Required in a create body: must hold a value and nothing fills it in (defaults are applied before the check). */
export function isRequiredOnCreate(field: CompiledField): boolean {
  return !field.system && mustHoldValue(field) && field.definition.default === undefined;
}

/** Writable fields, the object's own first and owner_id (the one writable system field) last. */
function writableFields(object: CompiledObject): CompiledField[] {
  const writable = object.fields.filter((f) => f.writable);
  return [...writable.filter((f) => !f.system), ...writable.filter((f) => f.system)];
}

function inputProperties(object: CompiledObject, context: TypeContext, showDefault: boolean): Record<string, SchemaObject> {
  return Object.fromEntries(
    writableFields(object).map((f) => [f.name, inputValueSchema(f, context, { nullable: !mustHoldValue(f), showDefault })]),
  );
}

function objectLabel(object: CompiledObject): string {
  return englishText(object.definition.label) ?? object.name;
}

function readSchema(object: CompiledObject, context: TypeContext): SchemaObject {
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
    properties: Object.fromEntries(object.fields.map((f) => [f.name, readValueSchema(f, context)])),
    required: ['id'],
  };
}

function createSchema(object: CompiledObject, context: TypeContext): SchemaObject {
  const required = writableFields(object).filter(isRequiredOnCreate).map((f) => f.name);
  return {
    type: 'object',
    title: `New ${objectLabel(object)}`,
    description: 'Fields of a new record. Computed fields (formula, rollup, autonumber) and read-only fields are not accepted; defaults fill fields left out.',
    properties: inputProperties(object, context, true),
    ...(required.length ? { required } : {}),
    additionalProperties: false,
  };
}

function updateSchema(object: CompiledObject, context: TypeContext): SchemaObject {
  return {
    type: 'object',
    title: `${objectLabel(object)} changes`,
    description: 'The fields to change; fields left out keep their values. null clears a field, except on required ones.',
    properties: inputProperties(object, context, false),
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

function bulkSchemas(object: CompiledObject, context: TypeContext, names: RecordSchemaNames): Record<string, SchemaObject> {
  const uniqueFields = object.userFields.filter((f) => f.definition.unique === true).map((f) => f.name);
  const bulkRecord: SchemaObject = {
    type: 'object',
    description: `One row: for create and upsert the fields of \`${names.create}\` (its required fields included); for update the fields of \`${names.update}\` with the record's \`id\`.`,
    properties: {
      id: { type: 'string', format: 'uuid', description: 'The record to update (update only).' },
      version: { type: 'integer', description: 'Expected current version (update only): a different one fails that row with stale_version.' },
      ...inputProperties(object, context, false),
    },
    additionalProperties: false,
  };
  const bulkRequest: SchemaObject = {
    type: 'object',
    properties: {
      operation: { type: 'string', enum: ['create', 'update', 'upsert'] },
      upsert_field: uniqueFields.length
        ? { type: 'string', enum: uniqueFields, description: 'The unique field that finds the record to update (upsert only).' }
        : { not: {}, description: `${objectLabel(object)} has no unique field, so upsert is not available.` },
      all_or_nothing: { type: 'boolean', description: 'Write every row or none: one failure rolls all back. Default: false.' },
      records: { type: 'array', items: schemaRef(names.bulkRecord), minItems: 1, maxItems: MAX_BULK_ROWS },
    },
    required: ['operation', 'records'],
    additionalProperties: false,
  };
  const bulkResult: SchemaObject = {
    type: 'object',
    properties: {
      committed: { type: 'boolean', description: 'False when all_or_nothing rolled everything back.' },
      results: {
        type: 'array',
        items: {
          type: 'object',
          properties: {
            index: { type: 'integer', minimum: 0, description: 'Position of the row in `records`.' },
            status: { type: 'string', enum: ['created', 'updated', 'failed', 'rolled_back'] },
            id: { type: 'string', format: 'uuid' },
            record: schemaRef(names.read),
            error: schemaRef(ERROR_DETAIL_SCHEMA),
          },
          required: ['index', 'status'],
        },
      },
      summary: {
        type: 'object',
        properties: { created: { type: 'integer' }, updated: { type: 'integer' }, failed: { type: 'integer' } },
        required: ['created', 'updated', 'failed'],
      },
    },
    required: ['committed', 'results', 'summary'],
  };
  return { [names.bulkRecord]: bulkRecord, [names.bulkRequest]: bulkRequest, [names.bulkResult]: bulkResult };
}

export function recordSchemas(object: CompiledObject, context: TypeContext, names: RecordSchemaNames): Record<string, SchemaObject> {
  return {
    [names.read]: readSchema(object, context),
    [names.create]: createSchema(object, context),
    [names.update]: updateSchema(object, context),
    [names.list]: listSchema(object, names),
    ...bulkSchemas(object, context, names),
  };
}
