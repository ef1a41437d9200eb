import { i18nTextSchema } from '../metadata/i18n';
import type { JsonSchema } from '../metadata/json-schema';

/**
 * A template package: a whole module as data. Documents inside are the same metadata documents
 * the metadata API takes (checked again, fully, as they are installed); this schema checks the
 * package's own frame.
 */
/** `{"$ref": key}`: the id of the sample user or record the template named `key`. */
const ref: JsonSchema = { type: 'object', properties: { $ref: { type: 'string', minLength: 1 } }, required: ['$ref'], additionalProperties: false };

export const templateSchema: JsonSchema = {
  type: 'object',
  properties: {
    name: { type: 'string', pattern: '^[a-z][a-z0-9_-]{0,62}$' },
    version: { type: 'string', pattern: '^\\d+\\.\\d+\\.\\d+$' },
    label: i18nTextSchema,
    description: { type: 'string', maxLength: 2000 },
    objects: { type: 'array', items: { type: 'object', required: ['name'] }, maxItems: 200 },
    fields: { type: 'array', items: { type: 'object', required: ['object', 'name'] }, maxItems: 2000 },
    layouts: { type: 'array', items: { type: 'object', required: ['object', 'name'] }, maxItems: 1000 },
    views: { type: 'array', items: { type: 'object', required: ['object', 'name'] }, maxItems: 1000 },
    validation_rules: { type: 'array', items: { type: 'object', required: ['object', 'name'] }, maxItems: 1000 },
    roles: { type: 'array', items: { type: 'object', required: ['name'] }, maxItems: 100 },
    approval_processes: { type: 'array', items: { type: 'object', required: ['object', 'name'] }, maxItems: 200 },
    workflows: { type: 'array', items: { type: 'object', required: ['object', 'name'] }, maxItems: 1000 },
    sample_data: {
      type: 'object',
      additionalProperties: { type: 'array', items: { type: 'object' }, maxItems: 10_000 },
    },
    // People the sample records belong to. No e-mail and no password: nobody can sign in as them.
    sample_users: {
      type: 'array',
      maxItems: 100,
      items: {
        type: 'object',
        properties: {
          $key: { type: 'string', minLength: 1, maxLength: 100 },
          name: { type: 'string', minLength: 1, maxLength: 200 },
          roles: { type: 'array', items: { type: 'string' }, uniqueItems: true, maxItems: 100 },
          manager: { anyOf: [{ const: '$installer' }, ref] },
        },
        required: ['$key', 'name'],
        additionalProperties: false,
      },
    },
    // Sample records submitted for approval, so the approval inbox has something waiting.
    sample_approvals: {
      type: 'array',
      maxItems: 100,
      items: {
        type: 'object',
        properties: { object: { type: 'string' }, record: ref, submitted_by: ref, comment: { type: 'string', maxLength: 4000 } },
        required: ['object', 'record', 'submitted_by'],
        additionalProperties: false,
      },
    },
  },
  required: ['name', 'version', 'label', 'objects'],
  additionalProperties: false,
};
