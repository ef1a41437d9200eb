import { fieldSchema, i18nTextSchema, layoutSchema, objectSchema, roleSchema, validationRuleSchema, viewSchema } from './engine-internals';
import { orNull } from './field-value-schemas';
import { schemaRef, type SchemaObject } from './types';

/**
 * Schemas of the metadata documents (objects, fields, layouts, views), converted from the JSON
 * Schemas the engine validates them with, so the API description and the validator are one
 * definition. The conversion names the shared parts (I18nText, SelectOption, SortSpec), turns
 * each union into a oneOf of named branches with an OpenAPI discriminator on `type`, and leaves
 * the document roots open so `{...document, revision}` responses can compose them with allOf
 * (the server still refuses unknown properties, as the descriptions say).
 */

const RULE_PROPERTIES = new Set(['default', 'expression', 'filter', 'visible_when', 'condition']);
const RULE_DESCRIPTION = 'A JSON-Logic rule (a plain constant is a rule too).';
const OPEN_NOTE = 'Unknown properties are refused (metadata_invalid).';

const revision: SchemaObject = { type: 'integer', minimum: 0, description: 'The metadata revision after the change (or at the read).' };
/** On a field read by a non-administrator: the parts left out because they read or name a field hidden from them (as in ClientField). */
const withheld: SchemaObject = {
  type: 'array',
  items: { enum: ['default', 'controlling_field', 'filter', 'relationship_field'] },
  readOnly: true,
  description: "Only to a reader who is not an administrator: the parts of the definition left out because they read or name a field hidden from them (with a controlling field, its options' valid_for lists). The server still applies them.",
};

interface Branch {
  readonly properties: Readonly<Record<string, SchemaObject>>;
  readonly required?: readonly string[];
}

function branchesOf(union: SchemaObject): readonly Branch[] {
  return union.oneOf as readonly Branch[];
}

function branchType(branch: Branch): string {
  return (branch.properties.type as { const: string }).const;
}

/** Replaces the engine's shared sub-schemas (found by identity) with references to their components. */
function withReferences(schema: unknown, named: ReadonlyMap<unknown, string>, propertyName?: string): unknown {
  const name = named.get(schema);
  if (name) return schemaRef(name);
  if (Array.isArray(schema)) return schema.map((item) => withReferences(item, named));
  if (schema === null || typeof schema !== 'object') return schema;
  const entries = Object.entries(schema);
  if (entries.length === 0 && propertyName && RULE_PROPERTIES.has(propertyName)) return { description: RULE_DESCRIPTION };
  return Object.fromEntries(
    entries.map(([key, value]) => {
      if (key === 'properties' && value && typeof value === 'object') {
        return [key, Object.fromEntries(Object.entries(value).map(([property, sub]) => [property, withReferences(sub, named, property)]))];
      }
      return [key, withReferences(value, named)];
    }),
  );
}

/** A document root: an object, open (see above), with its properties converted. */
function documentRoot(schema: SchemaObject, named: ReadonlyMap<unknown, string>, title: string): SchemaObject {
  const { additionalProperties: _closed, discriminator: _ajvDiscriminator, ...rest } = withReferences(schema, named) as SchemaObject;
  return { type: 'object', title, ...rest, description: OPEN_NOTE };
}

/** `FieldDefinition` = oneOf FieldDefinition_text | FieldDefinition_select | ..., discriminated by `type`. */
function unionSchemas(name: string, union: SchemaObject, named: ReadonlyMap<unknown, string>, noun: string): Record<string, SchemaObject> {
  const schemas: Record<string, SchemaObject> = {};
  const mapping: Record<string, string> = {};
  for (const branch of branchesOf(union)) {
    const type = branchType(branch);
    const branchName = `${name}_${type}`;
    schemas[branchName] = documentRoot(branch as unknown as SchemaObject, named, `${type} ${noun}`);
    mapping[type] = `#/components/schemas/${branchName}`;
  }
  schemas[name] = {
    oneOf: Object.values(mapping).map(($ref) => ({ $ref })),
    discriminator: { propertyName: 'type', mapping },
    description: `A ${noun} document; \`type\` selects its shape.`,
  };
  return schemas;
}

function sharedParts(): Map<unknown, string> {
  const select = branchesOf(fieldSchema).find((b) => branchType(b) === 'select');
  const listView = branchesOf(viewSchema).find((b) => branchType(b) === 'list');
  const option = (select?.properties.options as { items?: unknown } | undefined)?.items;
  const sort = (listView?.properties.sort as { items?: unknown } | undefined)?.items;
  const section = (branchesOf(layoutSchema)[0]?.properties.sections as { items?: unknown } | undefined)?.items;
  const named = new Map<unknown, string>([[i18nTextSchema, 'I18nText']]);
  if (option) named.set(option, 'SelectOption');
  if (sort) named.set(sort, 'SortSpec');
  if (section) named.set(section, 'LayoutSection');
  return named;
}

function withRevision(documentName: string, extra: Readonly<Record<string, SchemaObject>> = {}): SchemaObject {
  return {
    allOf: [schemaRef(documentName), { type: 'object', properties: { ...extra, revision }, required: ['revision'] }],
  };
}

function listOf(documentName: string, extra?: Readonly<Record<string, SchemaObject>>): SchemaObject {
  const item = extra ? { allOf: [schemaRef(documentName), { type: 'object', properties: extra }] } : schemaRef(documentName);
  return {
    type: 'object',
    properties: { data: { type: 'array', items: item }, revision },
    required: ['data', 'revision'],
  };
}

function mergePatch(documentName: string, properties?: Readonly<Record<string, SchemaObject>>): SchemaObject {
  return {
    type: 'object',
    description: `A JSON merge patch (RFC 7396) of a ${documentName}: properties given replace the stored ones, null removes one.`,
    ...(properties
      ? { properties: Object.fromEntries(Object.entries(properties).map(([key, value]) => [key, orNull(value)])) }
      : { additionalProperties: true }),
  };
}

export function metadataDocumentSchemas(): Record<string, SchemaObject> {
  const named = sharedParts();
  // Each shared part refers to the others, never to itself.
  const shared: Record<string, SchemaObject> = Object.fromEntries(
    [...named].map(([schema, name]) => [name, withReferences(schema, new Map([...named].filter(([other]) => other !== schema))) as SchemaObject]),
  );
  if (shared.LayoutSection) shared.LayoutSection = withheldCondition(shared.LayoutSection);
  const objectDefinition = documentRoot(objectSchema, named, 'Object');
  const validationRule = validationRuleDocument(named);
  const fieldsProperty: SchemaObject = { type: 'array', items: schemaRef('FieldDefinition') };
  return {
    ...shared,
    ObjectDefinition: objectDefinition,
    ...unionSchemas('FieldDefinition', fieldSchema, named, 'field'),
    ...unionSchemas('LayoutDefinition', layoutSchema, named, 'layout'),
    ...unionSchemas('ViewDefinition', viewSchema, named, 'view'),
    ValidationRuleDefinition: validationRule,
    ObjectCreateRequest: {
      allOf: [schemaRef('ObjectDefinition'), { type: 'object', properties: { fields: { ...fieldsProperty, description: 'Fields created with the object.' } } }],
    },
    ObjectResponse: withRevision('ObjectDefinition', { fields: fieldsProperty }),
    FieldResponse: withRevision('FieldDefinition', { withheld }),
    LayoutResponse: withRevision('LayoutDefinition'),
    ViewResponse: withRevision('ViewDefinition'),
    ValidationRuleResponse: withRevision('ValidationRuleDefinition'),
    ObjectList: listOf('ObjectDefinition'),
    FieldList: listOf('FieldDefinition', { withheld }),
    LayoutList: listOf('LayoutDefinition'),
    ViewList: listOf('ViewDefinition'),
    ValidationRuleList: listOf('ValidationRuleDefinition'),
    ObjectPatch: mergePatch('ObjectDefinition', objectDefinition.properties as Record<string, SchemaObject>),
    FieldPatch: mergePatch('FieldDefinition'),
    LayoutPatch: mergePatch('LayoutDefinition'),
    ViewPatch: mergePatch('ViewDefinition'),
    ValidationRulePatch: mergePatch('ValidationRuleDefinition', validationRule.properties as Record<string, SchemaObject>),
    DeletedDocument: {
      type: 'object',
      properties: { name: { type: 'string' }, revision },
      required: ['name', 'revision'],
    },
  };
}

/** A layout section as a non-administrator may read it: its condition left out when it reads a field hidden from them. */
function withheldCondition(section: SchemaObject): SchemaObject {
  const visibleWhenWithheld: SchemaObject = {
    const: true,
    readOnly: true,
    description: 'Only to a reader who is not an administrator: the stored visible_when reads a field hidden from them, so it is left out and the section always shows.',
  };
  const properties = section.properties as Record<string, SchemaObject>;
  const fields = properties.fields as SchemaObject & { items: SchemaObject };
  const placement = fields.items;
  const withheldFor = (description: string): SchemaObject => ({ const: true, readOnly: true, description: `Only to a reader who is not an administrator: ${description}` });
  const placementWithheld: SchemaObject = {
    ...placement,
    properties: {
      ...(placement.properties as Record<string, SchemaObject>),
      visible_when_withheld: withheldFor('the stored visible_when reads a field hidden from them, so it is left out and the field always shows.'),
      read_only_when_withheld: withheldFor('the stored read_only_when reads a field hidden from them, so it is left out and the field is read-only in forms.'),
    },
  };
  return { ...section, properties: { ...properties, fields: { ...fields, items: placementWithheld }, visible_when_withheld: visibleWhenWithheld } };
}

/** The permission part of a role document, found by identity like the other shared parts. */
function objectPermissionSchema(): unknown {
  return ((roleSchema.properties as Record<string, SchemaObject>).objects as { additionalProperties?: unknown }).additionalProperties;
}

/**
 * Role documents (/api/meta/roles), from the engine's roleSchema the same way: the shared parts
 * (I18nText, from metadataDocumentSchemas) and ObjectPermission become references.
 */
export function roleDocumentSchemas(): Record<string, SchemaObject> {
  const named = sharedParts();
  const permission = objectPermissionSchema();
  const shared = new Map(named);
  if (permission) shared.set(permission, 'ObjectPermission');
  const roleDefinition = documentRoot(roleSchema, shared, 'Role');
  return {
    ...(permission ? { ObjectPermission: { ...(withReferences(permission, named) as SchemaObject), title: 'Permissions on one object' } } : {}),
    RoleDefinition: roleDefinition,
    RoleResponse: withRevision('RoleDefinition'),
    RoleList: listOf('RoleDefinition'),
    RolePatch: mergePatch('RoleDefinition', roleDefinition.properties as Record<string, SchemaObject>),
  };
}

/** A validation rule document (engine's validationRuleSchema), with what its properties mean. */
function validationRuleDocument(named: ReadonlyMap<unknown, string>): SchemaObject {
  const root = documentRoot(validationRuleSchema, named, 'Validation rule');
  const properties = root.properties as Record<string, SchemaObject>;
  return {
    ...root,
    description: `A condition every create and update of the object's records must satisfy; when it does not hold, the write is refused with 422 \`rule_violation\`. ${OPEN_NOTE}`,
    properties: {
      ...properties,
      condition: {
        description:
          'JSON-Logic that must hold (be truthy) for the write to pass. It reads the record as it will be stored (on update: the stored record with the change applied), `$old.<field>` (the stored record before an update; null on create), `$user.id`, `$user.department`, `$user.roles`, `$now` and `$today`.',
      },
      message: { ...properties.message, description: "The error message, in the caller's language." },
      fields: { ...properties.fields, description: 'Fields the error points at (one error entry each); empty or left out: the record as a whole (path "").' },
      active: { ...properties.active, description: 'Inactive rules are kept but never run.', default: true },
    },
  };
}
