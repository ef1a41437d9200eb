import { errorCatalogue, fieldIssueCatalogue, type ErrorCode } from '@crm/engine';
import type { HeaderObject, ReferenceObject, ResponseObject, SchemaObject } from './types';

/**
 * The one error shape of DESIGN.md as components, generated from the error catalogue: the code
 * enum and the per-status responses list every catalogue code, so a new code is documented the
 * moment it exists.
 */

export const ERROR_SCHEMA = 'Error';
export const ERROR_DETAIL_SCHEMA = 'ErrorDetail';
export const FIELD_ERROR_SCHEMA = 'FieldError';

export function errorSchemas(): Record<string, SchemaObject> {
  return {
    [FIELD_ERROR_SCHEMA]: {
      type: 'object',
      description: 'One failing input value.',
      properties: {
        path: { type: 'string', description: 'Where in the input, e.g. `amount` or `sections/0/fields/2` (empty for the body itself).' },
        code: {
          description: 'A catalogue code, or `rule:<name>` for a failing validation rule of the object (`rule_violation`).',
          anyOf: [
            { type: 'string', enum: Object.keys(fieldIssueCatalogue) },
            { type: 'string', pattern: '^rule:[a-z][a-z0-9_]{0,62}$' },
          ],
        },
        message: {
          type: 'string',
          description:
            "In the caller's language (Accept-Language: en or zh-CN), naming the field by its label (`金额 为必填项`); a validation rule's own message for `rule:` codes; for `used_by` (in `dependency_exists`), the document that uses the field, object or role and what it does with it.",
        },
        field: { type: 'string', description: 'The API name of the field of the record the entry is about; absent when the input names no field the caller may see.' },
        label: { type: 'string', description: "That field's label in the caller's language." },
      },
      required: ['path', 'code', 'message'],
    },
    [ERROR_DETAIL_SCHEMA]: {
      type: 'object',
      properties: {
        code: { type: 'string', enum: Object.keys(errorCatalogue), description: 'Stable: clients branch on it.' },
        message: { type: 'string', description: "A message a person can act on, in the caller's language (Accept-Language: en or zh-CN)." },
        fields: { type: 'array', items: { $ref: `#/components/schemas/${FIELD_ERROR_SCHEMA}` } },
      },
      required: ['code', 'message', 'fields'],
    },
    [ERROR_SCHEMA]: {
      type: 'object',
      description: 'Every error response has this shape.',
      properties: { error: { $ref: `#/components/schemas/${ERROR_DETAIL_SCHEMA}` } },
      required: ['error'],
    },
  };
}

const STATUS_NAMES: Readonly<Record<number, string>> = {
  400: 'BadRequest',
  401: 'Unauthorized',
  403: 'Forbidden',
  404: 'NotFound',
  408: 'RequestTimeout',
  409: 'Conflict',
  412: 'PreconditionFailed',
  413: 'PayloadTooLarge',
  415: 'UnsupportedMediaType',
  422: 'UnprocessableEntity',
  429: 'TooManyRequests',
  431: 'RequestHeaderFieldsTooLarge',
  500: 'InternalError',
  503: 'ServiceUnavailable',
};

export type ErrorStatus = 400 | 401 | 403 | 404 | 408 | 409 | 412 | 413 | 415 | 422 | 429 | 431 | 500 | 503;

function responseName(status: number): string {
  return STATUS_NAMES[status] ?? `Status${status}`;
}

function codesByStatus(): Map<number, ErrorCode[]> {
  const byStatus = new Map<number, ErrorCode[]>();
  for (const [code, definition] of Object.entries(errorCatalogue) as [ErrorCode, { status: number }][]) {
    byStatus.set(definition.status, [...(byStatus.get(definition.status) ?? []), code]);
  }
  return byStatus;
}

const RETRY_AFTER: HeaderObject = { description: 'Seconds to wait before retrying.', schema: { type: 'integer', minimum: 0 } };

/** One response component per status the catalogue uses, naming the codes that come with it. */
export function errorResponses(): Record<string, ResponseObject> {
  const responses: Record<string, ResponseObject> = {};
  for (const [status, codes] of [...codesByStatus()].sort(([a], [b]) => a - b)) {
    responses[responseName(status)] = {
      description: `Error codes: ${codes.map((c) => `\`${c}\``).join(', ')}.`,
      ...(status === 429 ? { headers: { 'Retry-After': RETRY_AFTER } } : {}),
      content: { 'application/json': { schema: { $ref: `#/components/schemas/${ERROR_SCHEMA}` } } },
    };
  }
  return responses;
}

/** References to the error responses an operation can give, keyed by status. */
export function errorResponseRefs(statuses: Iterable<ErrorStatus>): Record<string, ReferenceObject> {
  const sorted = [...new Set(statuses)].sort((a, b) => a - b);
  return Object.fromEntries(sorted.map((status) => [String(status), { $ref: `#/components/responses/${responseName(status)}` }]));
}
