import { AUDIT_EVENTS, AUDIT_KINDS, SYSTEM_USER_ID } from '@crm/engine';
import { roleDocumentSchemas } from './document-schemas';
import { definedPaths, jsonBody, jsonResponse, operation, pathItem, pathParameter, queryParameter } from './operations';
import { schemaRef, type DocumentPart, type SchemaObject } from './types';
import type { Viewer } from './viewer';

/**
 * Access administration: roles (/api/meta/roles, metadata documents like objects) and the
 * audit log (/api/audit). Administrators only, reading included, so the whole part is
 * described to administrators only (and to anonymous readers of the API surface).
 */

const ROLES = 'roles';
const AUDIT = 'audit';
const API_NAME = { type: 'string', pattern: '^[a-z][a-z0-9_]{0,62}$' } as const;
const roleName = [pathParameter('name', 'API name of the role.', API_NAME)];
// Mirrors AuditService.list (security/audit-log.ts).
const AUDIT_MAX_LIMIT = 500;

const auditSchemas: Record<string, SchemaObject> = {
  AuditRecord: {
    type: 'object',
    description: 'One security event or metadata change. The log is append-only.',
    properties: {
      id: { type: 'integer' },
      at: { type: 'string', format: 'date-time' },
      actor_id: { type: ['string', 'null'], format: 'uuid', description: `Who did it (\`${SYSTEM_USER_ID}\`: the system, e.g. a template install; null: nobody known, e.g. a failed sign-in).` },
      event: { type: 'string', enum: [...AUDIT_EVENTS] },
      subject: {
        type: ['string', 'null'],
        description:
          'What it was done to: a user or token id, `object/record id`, an object name for exports; for a metadata change `<object>` (an object), `<object>.<name>` (a field, layout, view, validation rule, workflow or approval process), `role:sales_rep`, `department:<id>`, `user:<id>`, named as after the change.',
      },
      details: {
        description:
          'What changed, as the event records it. A metadata change: `revision` (the metadata revision it produced), `before` and `after` (the stored document; null before a create and after a delete) and `also_changed` (other documents it rewrote, each with kind, subject, before and after).',
      },
      ip: { type: ['string', 'null'] },
    },
    required: ['id', 'at', 'actor_id', 'event', 'subject', 'details', 'ip'],
  },
  AuditPage: {
    type: 'object',
    properties: {
      data: { type: 'array', items: schemaRef('AuditRecord') },
      next_cursor: { type: ['string', 'null'], description: 'Pass as `cursor` for the next (older) page; null on the last page.' },
    },
    required: ['data', 'next_cursor'],
  },
};

function rolePaths() {
  return {
    '/api/meta/roles': pathItem({
      get: operation({
        operationId: 'list_roles',
        summary: 'List roles',
        tag: ROLES,
        access: 'read',
        responses: { 200: jsonResponse('Every role, by name.', schemaRef('RoleList')) },
        errors: [403],
      }),
      post: operation({
        operationId: 'create_role',
        summary: 'Create a role',
        description: 'Per object (`*` for the others): the operations granted, whose records (`read_scope`, `edit_scope`) and which fields are `hidden` or `read_only`. Recorded in the audit log.',
        tag: ROLES,
        access: 'write',
        requestBody: jsonBody(schemaRef('RoleDefinition')),
        responses: { 201: jsonResponse('The role, with the new revision.', schemaRef('RoleResponse')) },
        errors: [409, 503],
      }),
    }),
    '/api/meta/roles/{name}': pathItem(
      {
        get: operation({
          operationId: 'get_role',
          summary: 'Get a role',
          tag: ROLES,
          access: 'read',
          responses: { 200: jsonResponse('The role.', schemaRef('RoleDefinition')) },
          errors: [403, 404],
        }),
        patch: operation({
          operationId: 'update_role',
          summary: 'Change a role',
          description: 'The administrator role always administers (403 if the change says otherwise).',
          tag: ROLES,
          access: 'write',
          requestBody: jsonBody(schemaRef('RolePatch')),
          responses: { 200: jsonResponse('The role, with the new revision.', schemaRef('RoleResponse')) },
          errors: [404, 409, 503],
        }),
        delete: operation({
          operationId: 'delete_role',
          summary: 'Delete a role',
          description: 'Its users lose what it granted. The administrator role cannot be deleted (403).',
          tag: ROLES,
          access: 'write',
          responses: { 200: jsonResponse('What was deleted, with the new revision.', schemaRef('DeletedDocument')) },
          errors: [404, 409, 503],
        }),
      },
      roleName,
    ),
  };
}

function auditPaths() {
  return {
    '/api/audit': pathItem({
      get: operation({
        operationId: 'list_audit_records',
        summary: 'Read the audit log',
        description:
          'Newest first, keyset-paged. Sign-ins, tokens, passwords, ownership transfers, shares, imports, exports, approvals, and every metadata change (objects, fields, layouts, views, validation rules, workflows, approval processes, roles, departments, users).',
        tag: AUDIT,
        access: 'read',
        parameters: [
          queryParameter('event', 'Only this event.', { type: 'string', enum: [...AUDIT_EVENTS] }),
          queryParameter('actor_id', 'Only what this user did.', { type: 'string', format: 'uuid' }),
          queryParameter('subject', 'Only events about this subject (exact).', { type: 'string' }),
          queryParameter('kind', '`metadata`: only metadata changes; a kind of metadata document (`field`, `role`...): only its changes.', { type: 'string', enum: [...AUDIT_KINDS] }),
          queryParameter('from', 'From this instant (inclusive).', { type: 'string', format: 'date-time' }),
          queryParameter('to', 'Until this instant (exclusive).', { type: 'string', format: 'date-time' }),
          queryParameter('limit', `Records per page (1-${AUDIT_MAX_LIMIT}).`, { type: 'integer', minimum: 1, maximum: AUDIT_MAX_LIMIT, default: 50 }),
          queryParameter('cursor', 'The `next_cursor` of the previous page.', { type: 'string' }),
        ],
        responses: { 200: jsonResponse('A page of the log.', schemaRef('AuditPage')) },
        errors: [400, 403],
      }),
    }),
  };
}

export function accessPaths(viewer: Viewer): DocumentPart {
  if (!viewer.administration) return { paths: {} };
  return {
    tags: [
      { name: ROLES, description: 'Roles: what people may do with each object' },
      { name: AUDIT, description: 'The audit log: security events and metadata changes' },
    ],
    schemas: { ...roleDocumentSchemas(), ...auditSchemas },
    paths: definedPaths({ ...rolePaths(), ...auditPaths() }),
  };
}
