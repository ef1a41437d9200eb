import { i18nTextSchema } from '../metadata/i18n';
import type { JsonSchema } from '../metadata/json-schema';

/**
 * A template package: a whole module as data. Documents inside are the same metadata documents
 * the metadata API takes (checked again, fully, as they are installed); this schema checks the
 * package's own frame.
 */
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
  },
  required: ['name', 'version', 'label', 'objects'],
  additionalProperties: false,
};
