import { schemaRef, type DocumentPart, type SchemaObject } from './types';

/** The shapes of the template routes (templates/routes.ts). */

const counts = ['objects', 'fields', 'layouts', 'views', 'validation_rules', 'roles', 'approval_processes', 'workflows', 'records', 'users', 'approvals'] as const;

const templateSchemas: Record<string, SchemaObject> = {
  ShippedTemplate: {
    type: 'object',
    description: 'A template shipped with this server (`templates/<name>/template.json`).',
    properties: {
      name: { type: 'string' },
      version: { type: 'string' },
      label: { description: 'A text, or one per language (`{"en": ..., "zh-CN": ...}`).' },
      description: { description: 'What the module is for, when the template says.' },
      objects: { type: 'array', items: { type: 'string' }, description: 'API names of the objects it creates.' },
      existing_objects: { type: 'array', items: { type: 'string' }, description: 'Those of its objects that exist already: installing it would be refused (409) until they are gone.' },
      installed: { type: 'boolean', description: 'Every object it creates exists (it was installed, or objects named alike were made).' },
      sample_data: { type: 'boolean', description: 'It comes with sample records (`sample_data` on install).' },
    },
    required: ['name', 'version', 'label', 'objects', 'existing_objects', 'installed', 'sample_data'],
  },
  ShippedTemplateList: { type: 'object', properties: { data: { type: 'array', items: schemaRef('ShippedTemplate') } }, required: ['data'] },
  TemplateInstallRequest: {
    type: 'object',
    description: 'Exactly one of `template` (a shipped template by name) and `package` (a template document, as `template.json` holds it: data, never code).',
    properties: {
      template: { type: 'string', description: 'Name of a shipped template (`GET /api/templates`).' },
      package: { type: 'object', description: 'A whole template document (README "Templates").' },
      sample_data: { type: 'boolean', default: false, description: 'Also create its sample users, records and approval requests.' },
    },
    additionalProperties: false,
  },
  TemplateInstallReport: {
    type: 'object',
    description: 'What the install created. It is one transaction: refused anywhere, it created nothing.',
    properties: {
      template: { type: 'string' },
      version: { type: 'string' },
      ...Object.fromEntries(counts.map((count) => [count, { type: 'integer', minimum: 0 }])),
    },
    required: ['template', 'version', ...counts],
  },
};

export const TEMPLATES_TAG = { name: 'templates', description: 'Install whole modules (objects, layouts, rules, roles, approvals, workflows, sample data) from templates' } as const;

export function templateComponents(): DocumentPart {
  return { paths: {}, tags: [TEMPLATES_TAG], schemas: templateSchemas };
}
