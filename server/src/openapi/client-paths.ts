import { DATA_SCOPES, FIELD_TYPES } from '@crm/engine';
import { jsonResponse, operation } from './operations';
import { schemaRef, type DocumentPart, type SchemaObject } from './types';

/**
 * GET /api/meta/client: the per-user projection of the metadata that the UIs render from
 * (engine/src/projection/client-projection-types.ts is the same shape as TypeScript). The
 * schemas are open like the metadata documents they build on.
 */

/** The client routes sit with the metadata operations in the document. */
export const CLIENT_TAG = 'metadata';
const RULE: SchemaObject = { description: 'A JSON-Logic rule, as stored.' };
const text = schemaRef('I18nText');
const string: SchemaObject = { type: 'string' };
const boolean: SchemaObject = { type: 'boolean' };
const strings: SchemaObject = { type: 'array', items: string };
const scope: SchemaObject = { oneOf: [{ enum: [...DATA_SCOPES] }, { type: 'null' }] };

const WITHHELD_NOTE =
  'Rules that read a field hidden from you are left out, never rewritten, so that nothing here lets a UI infer a hidden value; the server still applies them.';

function object(properties: Readonly<Record<string, SchemaObject>>, required: readonly string[], description?: string): SchemaObject {
  return { type: 'object', ...(description ? { description } : {}), properties, required: [...required] };
}

function clientSchemas(): Record<string, SchemaObject> {
  return {
    ClientMetadata: object(
      {
        revision: { type: 'integer', minimum: 0, description: 'The metadata revision this projection was cut from.' },
        user: schemaRef('ClientUser'),
        objects: { type: 'array', items: schemaRef('ClientObject'), description: 'The objects you may read or create.' },
        rules_module: {
          type: 'string',
          description:
            'Where your compiled rules and input validators for this revision are (one ES module, GET /api/meta/client/modules/<revision>.js): a page under `script-src \'self\'` imports it and checks input with @crm/engine/core (moduleCompilers, compileInputObject, checkRecordInput).',
        },
      },
      ['revision', 'user', 'objects', 'rules_module'],
      `The metadata as your UI may see it: only the objects and fields you may see, with what you may do. ${WITHHELD_NOTE}`,
    ),
    ClientUser: object(
      {
        id: { type: 'string', format: 'uuid' },
        name: string,
        email: { type: ['string', 'null'] },
        locale: { enum: ['en', 'zh-CN'], description: 'The language of the request (Accept-Language); labels carry every language.' },
        admin: { type: 'boolean', description: 'Whether you may use the metadata and administration APIs.' },
        roles: { type: 'array', items: object({ name: string, label: text }, ['name', 'label']) },
        department: { oneOf: [object({ id: { type: 'string', format: 'uuid' }, name: string }, ['id', 'name']), { type: 'null' }] },
      },
      ['id', 'name', 'email', 'locale', 'admin', 'roles', 'department'],
      'Who you are.',
    ),
    ClientPermissions: object(
      {
        create: boolean,
        read: boolean,
        edit: boolean,
        delete: boolean,
        export: boolean,
        transfer: { type: 'boolean', description: 'Give records to another owner (edit and an editable owner_id).' },
        read_scope: { ...scope, description: 'Whose records you may read (shares add to it); null: none.' },
        edit_scope: { ...scope, description: 'Whose records you may edit and delete; null: none.' },
      },
      ['create', 'read', 'edit', 'delete', 'export', 'transfer', 'read_scope', 'edit_scope'],
    ),
    ClientObject: {
      allOf: [
        schemaRef('ObjectDefinition'),
        object(
          {
            permissions: schemaRef('ClientPermissions'),
            fields: { type: 'array', items: schemaRef('ClientField'), description: 'System fields first, then user fields; hidden ones absent.' },
            layouts: { type: 'array', items: schemaRef('ClientLayout') },
            views: {
              type: 'array',
              items: schemaRef('ViewDefinition'),
              description:
                'Views without hidden columns, card fields or sort keys. A view whose filter reads a hidden field, a kanban grouped by one, and a view left with no column or card field are left out.',
            },
            validation_rules: { type: 'array', items: schemaRef('ClientValidationRule'), description: 'The active rules a UI can check as the server does.' },
            server_only_rules: {
              type: 'integer',
              minimum: 0,
              description: 'Active validation rules left out because they read a field hidden from you: the server checks them on every write.',
            },
            approval_processes: { type: 'array', items: schemaRef('ClientApprovalProcess') },
          },
          ['permissions', 'fields', 'layouts', 'views', 'validation_rules', 'server_only_rules', 'approval_processes'],
        ),
      ],
    },
    ClientField: object(
      {
        name: string,
        type: { enum: [...FIELD_TYPES] },
        label: text,
        mode: {
          enum: ['editable', 'read_only'],
          description: 'read_only when a role makes it so or nobody may set it (system, formula, rollup, autonumber and read_only fields, lookups to objects you may not read).',
        },
        system: { type: 'boolean', description: 'id, owner_id, created_at and the other system fields.' },
        value_kind: {
          enum: ['string', 'uuid', 'number', 'boolean', 'date', 'datetime', 'string_array', 'json'],
          description: 'The kind of value as rules see it, formula and rollup results included (decimal kinds are number here; the record API writes them as exact strings).',
        },
        target_readable: {
          const: false,
          description: 'On a lookup or master-detail whose target you may not read: its value comes back as a bare id and no record can be picked. The target is not among the objects.',
        },
        withheld: {
          type: 'array',
          items: { enum: ['default', 'controlling_field', 'filter', 'relationship_field'] },
          description: `Parts of the definition left out (with a controlling field, its options' valid_for lists). ${WITHHELD_NOTE}`,
        },
      },
      ['name', 'type', 'label', 'mode', 'system', 'value_kind'],
      'A field you may see: its definition as stored (see FieldDefinition for the settings of each type: options with every label, dependent options, scale, currency, target, result type, required, unique, default, expression...), with what you may do with it.',
    ),
    ClientLayout: object(
      {
        name: string,
        type: { enum: ['form', 'detail'] },
        label: text,
        sections: { type: 'array', items: schemaRef('ClientLayoutSection'), description: 'Sections left with no field you may see are left out.' },
        related_lists: { type: 'array', items: { type: 'object' }, description: 'Related lists of objects you may read, without hidden columns or sort keys (as in LayoutDefinition).' },
      },
      ['name', 'type', 'sections'],
      'A form or record-detail layout without the fields hidden from you.',
    ),
    ClientLayoutSection: object(
      {
        label: text,
        columns: { enum: [1, 2, 3, 4] },
        fields: {
          type: 'array',
          items: object(
            {
              field: string,
              span: { type: 'integer' },
              required: boolean,
              read_only: boolean,
              visible_when: { ...RULE, description: 'The field shows only while this holds for the record.' },
              visible_when_withheld: { const: true, description: 'The stored condition reads a field hidden from you: it is left out and the field always shows.' },
              read_only_when: { ...RULE, description: 'The field cannot be changed in a form while this holds for the record.' },
              read_only_when_withheld: { const: true, description: 'The stored condition reads a field hidden from you: it is left out and the field is read-only in forms.' },
            },
            ['field'],
          ),
        },
        visible_when: { ...RULE, description: 'The section shows only while this holds for the record.' },
        visible_when_withheld: { const: true, description: 'The stored condition reads a field hidden from you: it is left out and the section always shows.' },
        collapsed: boolean,
      },
      ['columns', 'fields'],
    ),
    ClientValidationRule: object(
      { name: string, label: text, condition: RULE, message: text, fields: { ...strings, description: 'Fields the error points at; empty: the record as a whole.' } },
      ['name', 'condition', 'message', 'fields'],
    ),
    ClientApprovalProcess: object(
      {
        name: string,
        label: text,
        description: string,
        may_submit: { type: 'boolean', description: 'Whether you may submit records (edit permission); the record API checks each record.' },
        entry_criteria: { ...RULE, description: 'Which records may be submitted.' },
        entry_criteria_withheld: { const: true, description: 'The criteria read a field hidden from you; the server checks them on submit.' },
      },
      ['name', 'label', 'may_submit'],
      'An active approval process of the object. Per-record actions (submit, approve, recall) stay on the record APIs.',
    ),
  };
}

/** The schemas of GET /api/meta/client; its operations are declared in metadata/client-routes.ts. */
export function clientPaths(): DocumentPart {
  return { schemas: clientSchemas(), paths: {} };
}
