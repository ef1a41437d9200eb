import { AUDIT_EVENTS, AUDIT_KINDS, MIN_PASSWORD_LENGTH } from '@crm/engine';
import { query } from '../http/query-parameters';
import { actorOf } from '../http/request-context';
import { defineRoute, type DeclaredRoute } from '../http/route-declaration';
import type { RouteDeps } from '../http/route-deps';
import { AUDIT_MAX_LIMIT, AUDIT_TAG, ROLES_TAG } from '../openapi/access-schemas';
import { API_NAME_SCHEMA, jsonBody, jsonResponse, noContent, pathParameter } from '../openapi/operations';
import { DEPARTMENTS_TAG, USERS_TAG, uuid } from '../openapi/organisation-schemas';
import { schemaRef } from '../openapi/types';

/**
 * Organisation and access administration: users (/api/users), departments (/api/departments),
 * roles (/api/meta/roles) and the audit log (/api/audit). Everyone signed in may look users and
 * departments up (to pick an owner, to share with a department); the rest is for administrators,
 * and described to them only. The engine decides who may do what.
 */

const userId = pathParameter('id', 'User id.', uuid);
const departmentId = pathParameter('id', 'Department id.', uuid);
const roleName = pathParameter('name', 'API name of the role.', API_NAME_SCHEMA);

const userRoutes: readonly DeclaredRoute<RouteDeps>[] = [
  defineRoute({
    method: 'GET',
    url: '/api/users',
    access: 'signed-in',
    openapi: { operationId: 'list_users', summary: 'List users', tag: USERS_TAG.name, responses: { 200: jsonResponse('Every user, by name.', schemaRef('UserList')) } },
    handler: async (request, _reply, { engine }) => ({ data: await engine.users.list(actorOf(request)) }),
  }),
  defineRoute({
    method: 'POST',
    url: '/api/users',
    access: 'admin',
    openapi: {
      operationId: 'create_user',
      summary: 'Create a user',
      description: 'Without a password: set one with `POST /api/users/{id}/password`. Recorded in the audit log.',
      tag: USERS_TAG.name,
      requestBody: jsonBody(schemaRef('UserCreateRequest')),
      responses: { 201: jsonResponse('The user.', schemaRef('User')) },
      errors: [409, 503],
    },
    handler: async (request, reply, { engine }) => reply.status(201).send(await engine.users.create(actorOf(request), request.body)),
  }),
  defineRoute({
    method: 'GET',
    url: '/api/users/:id',
    access: 'signed-in',
    params: { id: userId },
    openapi: { operationId: 'get_user', summary: 'Get a user', tag: USERS_TAG.name, responses: { 200: jsonResponse('The user.', schemaRef('User')) }, errors: [404] },
    handler: async (request, _reply, { engine }) => engine.users.get(actorOf(request), request.params.id),
  }),
  defineRoute({
    method: 'PATCH',
    url: '/api/users/:id',
    access: 'admin',
    params: { id: userId },
    openapi: {
      operationId: 'update_user',
      summary: 'Change a user',
      description: 'Changing roles, department, manager or `active` changes what people may see, so it is a metadata change (a new revision). Recorded in the audit log.',
      tag: USERS_TAG.name,
      requestBody: jsonBody(schemaRef('UserPatch')),
      responses: { 200: jsonResponse('The user.', schemaRef('User')) },
      errors: [404, 409, 503],
    },
    handler: async (request, _reply, { engine }) => engine.users.update(actorOf(request), request.params.id, request.body),
  }),
  defineRoute({
    method: 'POST',
    url: '/api/users/:id/password',
    access: 'signed-in',
    params: { id: userId },
    openapi: {
      operationId: 'set_user_password',
      summary: "Set a user's password",
      description: `Your own, or, for administrators, anyone's (403 otherwise); at least ${MIN_PASSWORD_LENGTH} characters. Ends the user's sessions. To change your own password proving the current one, use \`POST /api/auth/password\`.`,
      tag: USERS_TAG.name,
      requestBody: jsonBody(schemaRef('PasswordSetRequest')),
      responses: { 204: noContent('Set.') },
      errors: [404],
    },
    handler: async (request, reply, { engine }) => {
      const body = (request.body ?? {}) as { password?: unknown };
      await engine.auth.setPassword(actorOf(request), request.params.id, typeof body.password === 'string' ? body.password : '');
      return reply.status(204).send();
    },
  }),
];

const departmentRoutes: readonly DeclaredRoute<RouteDeps>[] = [
  defineRoute({
    method: 'GET',
    url: '/api/departments',
    access: 'signed-in',
    openapi: {
      operationId: 'list_departments',
      summary: 'List departments',
      description: 'The whole tree, as a flat list with `parent_id`.',
      tag: DEPARTMENTS_TAG.name,
      responses: { 200: jsonResponse('The departments.', schemaRef('DepartmentList')) },
    },
    handler: async (request, _reply, { engine }) => ({ data: await engine.departments.list(actorOf(request)) }),
  }),
  defineRoute({
    method: 'POST',
    url: '/api/departments',
    access: 'admin',
    openapi: {
      operationId: 'create_department',
      summary: 'Create a department',
      tag: DEPARTMENTS_TAG.name,
      requestBody: jsonBody(schemaRef('DepartmentCreateRequest')),
      responses: { 201: jsonResponse('The department, with the new revision.', schemaRef('DepartmentResponse')) },
      errors: [409, 503],
    },
    handler: async (request, reply, { engine }) => reply.status(201).send(await engine.departments.create(actorOf(request), request.body)),
  }),
  defineRoute({
    method: 'PATCH',
    url: '/api/departments/:id',
    access: 'admin',
    params: { id: departmentId },
    openapi: {
      operationId: 'update_department',
      summary: 'Rename or move a department',
      tag: DEPARTMENTS_TAG.name,
      requestBody: jsonBody(schemaRef('DepartmentPatch')),
      responses: { 200: jsonResponse('The department, with the new revision.', schemaRef('DepartmentResponse')) },
      errors: [404, 409, 503],
    },
    handler: async (request, _reply, { engine }) => engine.departments.update(actorOf(request), request.params.id, request.body),
  }),
  defineRoute({
    method: 'DELETE',
    url: '/api/departments/:id',
    access: 'admin',
    params: { id: departmentId },
    openapi: {
      operationId: 'delete_department',
      summary: 'Delete an empty department',
      description: 'A department with sub-departments or members cannot be deleted (409 `dependency_exists`).',
      tag: DEPARTMENTS_TAG.name,
      responses: { 200: jsonResponse('What was deleted, with the new revision.', schemaRef('DepartmentDeleted')) },
      errors: [404, 409, 503],
    },
    handler: async (request, _reply, { engine }) => engine.departments.delete(actorOf(request), request.params.id),
  }),
];

const roleRoutes: readonly DeclaredRoute<RouteDeps>[] = [
  defineRoute({
    method: 'GET',
    url: '/api/meta/roles',
    access: 'admin',
    openapi: { operationId: 'list_roles', summary: 'List roles', tag: ROLES_TAG.name, responses: { 200: jsonResponse('Every role, by name.', schemaRef('RoleList')) }, errors: [403] },
    handler: async (request, _reply, { engine }) => ({ data: await engine.roles.list(actorOf(request)), revision: (await engine.metadata(actorOf(request))).revision }),
  }),
  defineRoute({
    method: 'POST',
    url: '/api/meta/roles',
    access: 'admin',
    openapi: {
      operationId: 'create_role',
      summary: 'Create a role',
      description: 'Per object (`*` for the others): the operations granted, whose records (`read_scope`, `edit_scope`) and which fields are `hidden` or `read_only`. Recorded in the audit log.',
      tag: ROLES_TAG.name,
      requestBody: jsonBody(schemaRef('RoleDefinition')),
      responses: { 201: jsonResponse('The role, with the new revision.', schemaRef('RoleResponse')) },
      errors: [409, 503],
    },
    handler: async (request, reply, { engine }) => reply.status(201).send(await engine.roles.create(actorOf(request), request.body)),
  }),
  defineRoute({
    method: 'GET',
    url: '/api/meta/roles/:name',
    access: 'admin',
    params: { name: roleName },
    openapi: { operationId: 'get_role', summary: 'Get a role', tag: ROLES_TAG.name, responses: { 200: jsonResponse('The role.', schemaRef('RoleDefinition')) }, errors: [403, 404] },
    handler: async (request, _reply, { engine }) => engine.roles.get(actorOf(request), request.params.name),
  }),
  defineRoute({
    method: 'PATCH',
    url: '/api/meta/roles/:name',
    access: 'admin',
    params: { name: roleName },
    openapi: {
      operationId: 'update_role',
      summary: 'Change a role',
      description: 'The administrator role always administers (403 if the change says otherwise).',
      tag: ROLES_TAG.name,
      requestBody: jsonBody(schemaRef('RolePatch')),
      responses: { 200: jsonResponse('The role, with the new revision.', schemaRef('RoleResponse')) },
      errors: [404, 409, 503],
    },
    handler: async (request, _reply, { engine }) => engine.roles.update(actorOf(request), request.params.name, request.body),
  }),
  defineRoute({
    method: 'DELETE',
    url: '/api/meta/roles/:name',
    access: 'admin',
    params: { name: roleName },
    openapi: {
      operationId: 'delete_role',
      summary: 'Delete a role',
      description: 'Its users lose what it granted. The administrator role cannot be deleted (403).',
      tag: ROLES_TAG.name,
      responses: { 200: jsonResponse('What was deleted, with the new revision.', schemaRef('DeletedDocument')) },
      errors: [404, 409, 503],
    },
    handler: async (request, _reply, { engine }) => engine.roles.delete(actorOf(request), request.params.name),
  }),
];

const auditRoutes: readonly DeclaredRoute<RouteDeps>[] = [
  defineRoute({
    method: 'GET',
    url: '/api/audit',
    access: 'admin',
    query: {
      event: query.string('Only this event.', { type: 'string', enum: [...AUDIT_EVENTS] }),
      actor_id: query.string('Only what this user did.', { type: 'string', format: 'uuid' }),
      subject: query.string('Only events about this subject (exact).'),
      kind: query.string('`metadata`: only metadata changes; a kind of metadata document (`field`, `role`...): only its changes.', { type: 'string', enum: [...AUDIT_KINDS] }),
      from: query.string('From this instant (inclusive).', { type: 'string', format: 'date-time' }),
      to: query.string('Until this instant (exclusive).', { type: 'string', format: 'date-time' }),
      limit: query.integer(`Records per page (1-${AUDIT_MAX_LIMIT}).`, { type: 'integer', minimum: 1, maximum: AUDIT_MAX_LIMIT, default: 50 }),
      cursor: query.string('The `next_cursor` of the previous page.'),
    },
    openapi: {
      operationId: 'list_audit_records',
      summary: 'Read the audit log',
      description:
        'Newest first, keyset-paged. Sign-ins, tokens, passwords, ownership transfers, shares, imports, exports, approvals, and every metadata change (objects, fields, layouts, views, validation rules, workflows, approval processes, roles, departments, users).',
      tag: AUDIT_TAG.name,
      responses: { 200: jsonResponse('A page of the log.', schemaRef('AuditPage')) },
      errors: [400, 403],
    },
    handler: async (request, _reply, { engine }) => engine.audit.list(actorOf(request), request.query),
  }),
];

export const securityRoutes: readonly DeclaredRoute<RouteDeps>[] = [...userRoutes, ...departmentRoutes, ...roleRoutes, ...auditRoutes];
