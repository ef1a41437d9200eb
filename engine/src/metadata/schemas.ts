import { allFieldTypes } from '../field-types';
import { i18nTextSchema } from './i18n';
import type { JsonSchema } from './json-schema';

/** JSON Schemas of the metadata documents themselves (shape only; meaning is checked in validate-*.ts). */

const apiName = { type: 'string', minLength: 1, maxLength: 63 } as const;

export const objectSchema: JsonSchema = {
  type: 'object',
  properties: {
    name: apiName,
    label: i18nTextSchema,
    plural_label: i18nTextSchema,
    description: { type: 'string', maxLength: 2000 },
    icon: { type: 'string', maxLength: 100 },
    title_field: { type: 'string' },
    track_history: { type: 'boolean' },
    searchable: { type: 'boolean' },
  },
  required: ['name', 'label'],
  additionalProperties: false,
};

const commonFieldProperties = {
  name: apiName,
  label: i18nTextSchema,
  help: i18nTextSchema,
  description: { type: 'string', maxLength: 2000 },
  required: { type: 'boolean' },
  unique: { type: 'boolean' },
  default: {},
  read_only: { type: 'boolean' },
  searchable: { type: 'boolean' },
  indexed: { type: 'boolean' },
};

export const fieldSchema: JsonSchema = {
  type: 'object',
  discriminator: { propertyName: 'type' },
  required: ['type', 'name', 'label'],
  oneOf: allFieldTypes().map((module) => ({
    properties: {
      type: { const: module.type },
      ...commonFieldProperties,
      ...module.definitionProperties,
    },
    required: ['type', 'name', 'label', ...(module.requiredProperties ?? [])],
    additionalProperties: false,
  })),
};

const sortSpec = {
  type: 'object',
  properties: { field: { type: 'string' }, direction: { enum: ['asc', 'desc'] } },
  required: ['field'],
  additionalProperties: false,
};

const section = {
  type: 'object',
  properties: {
    label: i18nTextSchema,
    columns: { enum: [1, 2, 3, 4] },
    fields: {
      type: 'array',
      maxItems: 500,
      items: {
        type: 'object',
        properties: {
          field: { type: 'string' },
          span: { type: 'integer', minimum: 1, maximum: 4 },
          required: { type: 'boolean' },
          read_only: { type: 'boolean' },
          visible_when: {},
          read_only_when: {},
        },
        required: ['field'],
        additionalProperties: false,
      },
    },
    visible_when: {},
    collapsed: { type: 'boolean' },
  },
  required: ['columns', 'fields'],
  additionalProperties: false,
};

const relatedList = {
  type: 'object',
  properties: {
    object: { type: 'string' },
    field: { type: 'string' },
    label: i18nTextSchema,
    columns: { type: 'array', items: { type: 'string' }, minItems: 1, maxItems: 20 },
    sort: { type: 'array', items: sortSpec, maxItems: 5 },
    limit: { type: 'integer', minimum: 1, maximum: 200 },
  },
  required: ['object', 'field', 'columns'],
  additionalProperties: false,
};

export const layoutSchema: JsonSchema = {
  type: 'object',
  discriminator: { propertyName: 'type' },
  required: ['type', 'name'],
  oneOf: [
    {
      properties: {
        type: { const: 'form' },
        name: apiName,
        label: i18nTextSchema,
        sections: { type: 'array', items: section, minItems: 1, maxItems: 50 },
      },
      required: ['type', 'name', 'sections'],
      additionalProperties: false,
    },
    {
      properties: {
        type: { const: 'detail' },
        name: apiName,
        label: i18nTextSchema,
        sections: { type: 'array', items: section, minItems: 1, maxItems: 50 },
        related_lists: { type: 'array', items: relatedList, maxItems: 30 },
      },
      required: ['type', 'name', 'sections'],
      additionalProperties: false,
    },
  ],
};

export const viewSchema: JsonSchema = {
  type: 'object',
  discriminator: { propertyName: 'type' },
  required: ['type', 'name'],
  oneOf: [
    {
      properties: {
        type: { const: 'list' },
        name: apiName,
        label: i18nTextSchema,
        columns: { type: 'array', items: { type: 'string' }, minItems: 1, maxItems: 50 },
        filter: {},
        sort: { type: 'array', items: sortSpec, maxItems: 5 },
        page_size: { type: 'integer', minimum: 1, maximum: 500 },
      },
      required: ['type', 'name', 'columns'],
      additionalProperties: false,
    },
    {
      properties: {
        type: { const: 'kanban' },
        name: apiName,
        label: i18nTextSchema,
        group_by: { type: 'string' },
        card_fields: { type: 'array', items: { type: 'string' }, minItems: 1, maxItems: 10 },
        filter: {},
        sort: { type: 'array', items: sortSpec, maxItems: 5 },
      },
      required: ['type', 'name', 'group_by', 'card_fields'],
      additionalProperties: false,
    },
  ],
};

export const validationRuleSchema: JsonSchema = {
  type: 'object',
  properties: {
    name: apiName,
    label: i18nTextSchema,
    description: { type: 'string', maxLength: 2000 },
    condition: {},
    message: i18nTextSchema,
    fields: { type: 'array', items: { type: 'string' }, maxItems: 20 },
    active: { type: 'boolean' },
  },
  required: ['name', 'condition', 'message'],
  additionalProperties: false,
};

const objectPermission = {
  type: 'object',
  properties: {
    create: { type: 'boolean' },
    read: { type: 'boolean' },
    edit: { type: 'boolean' },
    delete: { type: 'boolean' },
    export: { type: 'boolean' },
    read_scope: { enum: ['own', 'department', 'department_and_below', 'all'] },
    edit_scope: { enum: ['own', 'department', 'department_and_below', 'all'] },
    fields: { type: 'object', additionalProperties: { enum: ['hidden', 'read_only', 'editable'] }, maxProperties: 1000 },
  },
  additionalProperties: false,
};

export const roleSchema: JsonSchema = {
  type: 'object',
  properties: {
    name: apiName,
    label: i18nTextSchema,
    description: { type: 'string', maxLength: 2000 },
    admin: { type: 'boolean' },
    objects: { type: 'object', additionalProperties: objectPermission, maxProperties: 1000 },
  },
  required: ['name', 'label', 'objects'],
  additionalProperties: false,
};
