import { ERROR_DETAIL_SCHEMA } from './error-schemas';
import { EXPANDED_USER_SCHEMA } from './field-value-schemas';
import { schemaRef, type SchemaObject } from './types';

/**
 * Record-API schemas that are the same for every object: expanded references, shares and
 * ownership transfer, field history. The engine types they describe: RecordShare and ShareInput
 * (security/share-service.ts), RecordService.transfer (records/record-service.ts), FieldChange
 * (records/field-history.ts).
 */

export const RECORD_REFERENCE_SCHEMA = 'RecordReference';
export const RECORD_SHARE_SCHEMA = 'RecordShare';
export const RECORD_SHARE_LIST_SCHEMA = 'RecordShareList';
export const SHARE_REQUEST_SCHEMA = 'ShareRequest';
export const TRANSFER_REQUEST_SCHEMA = 'TransferRequest';
export const TRANSFER_RESULT_SCHEMA = 'TransferResult';
export const FIELD_HISTORY_SCHEMA = 'FieldHistory';
export const IMPORT_RESULT_SCHEMA = 'ImportResult';
export { MAX_IMPORT_ROWS } from '@crm/engine';

/** Mirrors the engine's transfer limit (records/record-service.ts MAX_TRANSFER). */
export const MAX_TRANSFER = 1000;

const uuid = { type: 'string', format: 'uuid' } as const;
const nullableUuid = { type: ['string', 'null'], format: 'uuid' } as const;

/**
 * What a bulk write or an import answers: committed or not, one result per row (`row` says which:
 * its index or its line), and counts.
 */
export function rowResultsSchema(row: Record<string, SchemaObject>, summary: Record<string, SchemaObject> = {}, record?: SchemaObject): SchemaObject {
  return {
    type: 'object',
    properties: {
      committed: { type: 'boolean', description: 'False when all_or_nothing rolled everything back.' },
      results: {
        type: 'array',
        items: {
          type: 'object',
          properties: {
            ...row,
            status: { type: 'string', enum: ['created', 'updated', 'failed', 'rolled_back'] },
            id: uuid,
            ...(record ? { record } : {}),
            error: schemaRef(ERROR_DETAIL_SCHEMA),
          },
          required: [...Object.keys(row), 'status'],
        },
      },
      summary: {
        type: 'object',
        properties: { created: { type: 'integer' }, updated: { type: 'integer' }, failed: { type: 'integer' }, ...summary },
        required: ['created', 'updated', 'failed', ...Object.keys(summary)],
      },
    },
    required: ['committed', 'results', 'summary'],
  };
}

export function recordSharedSchemas(): Record<string, SchemaObject> {
  return {
    [EXPANDED_USER_SCHEMA]: {
      type: 'object',
      description: 'A user field (or created_by, updated_by, owner_id) with `expand`.',
      properties: { id: uuid, name: { type: 'string' }, email: { type: ['string', 'null'], format: 'email' }, active: { type: 'boolean' } },
      required: ['id', 'name', 'email', 'active'],
    },
    [RECORD_REFERENCE_SCHEMA]: {
      type: 'object',
      description: 'An expanded lookup to a record you may not read, or one in the recycle bin: only its id, which the record already had.',
      properties: { id: uuid },
      required: ['id'],
    },
    [RECORD_SHARE_SCHEMA]: {
      type: 'object',
      description: 'Access to one record given to a user, or to a department and the departments below it.',
      properties: {
        id: uuid,
        user_id: nullableUuid,
        department_id: nullableUuid,
        access: { type: 'string', enum: ['read', 'edit'] },
        granted_by: { ...uuid, description: 'The user who shared it.' },
        created_at: { type: 'string', format: 'date-time' },
      },
      required: ['id', 'user_id', 'department_id', 'access', 'granted_by', 'created_at'],
    },
    [RECORD_SHARE_LIST_SCHEMA]: {
      type: 'object',
      properties: {
        data: { type: 'array', items: schemaRef(RECORD_SHARE_SCHEMA) },
        can_share: { type: 'boolean', description: 'Whether the caller may add and remove shares of this record (they may edit it); when false, POST and DELETE answer 403.' },
      },
      required: ['data', 'can_share'],
    },
    [SHARE_REQUEST_SCHEMA]: {
      type: 'object',
      description: 'Exactly one of `user_id` and `department_id`. Sharing again with the same user or department changes its access.',
      properties: { user_id: uuid, department_id: uuid, access: { type: 'string', enum: ['read', 'edit'] } },
      required: ['access'],
      oneOf: [{ required: ['user_id'] }, { required: ['department_id'] }],
      additionalProperties: false,
    },
    [TRANSFER_REQUEST_SCHEMA]: {
      type: 'object',
      properties: {
        ids: { type: 'array', items: uuid, minItems: 1, maxItems: MAX_TRANSFER, description: 'The records to give away (a repeated id counts once).' },
        owner_id: { ...uuid, description: 'The new owner: a user inside your edit scope.' },
      },
      required: ['ids', 'owner_id'],
    },
    [FIELD_HISTORY_SCHEMA]: {
      type: 'object',
      description: 'Who changed which field of a record, when, from what to what. Fields hidden from you are left out.',
      properties: {
        data: {
          type: 'array',
          description: 'Newest first, at most 1,000 changes.',
          items: {
            type: 'object',
            properties: {
              // Not an enum of the object's fields: history outlives fields deleted since.
              field: { type: 'string' },
              old_value: { description: 'The value before, as the API returns it (null: empty).' },
              new_value: { description: 'The value after, as the API returns it (null: empty).' },
              actor_id: { ...uuid, description: 'Who changed it.' },
              changed_at: { type: 'string', format: 'date-time' },
            },
            required: ['field', 'old_value', 'new_value', 'actor_id', 'changed_at'],
          },
        },
      },
      required: ['data'],
    },
    [TRANSFER_RESULT_SCHEMA]: {
      type: 'object',
      properties: { transferred: { type: 'integer', minimum: 0, description: 'How many records changed hands.' } },
      required: ['transferred'],
    },
    [IMPORT_RESULT_SCHEMA]: rowResultsSchema(
      { line: { type: 'integer', minimum: 1, description: 'The line of the file the record came from (a CSV header is line 1).' } },
      { rows: { type: 'integer', description: 'Records in the file.' } },
    ),
  };
}
