import { MIN_PASSWORD_LENGTH } from '@crm/engine';
import { definedPaths, jsonBody, jsonResponse, noContent, operation, pathItem, pathParameter } from './operations';
import { schemaRef, type DocumentPart, type SchemaObject } from './types';
import type { Viewer } from './viewer';

/**
 * Users (/api/users) and departments (/api/departments). Everyone signed in may look them up (to
 * pick an owner, to share with a department); only administrators change them, so the changes
 * are described to administrators only. The shapes mirror users/user-service.ts (User,
 * UserInput and its validator) and security/department-service.ts.
 */

const USERS = 'users';
const DEPARTMENTS = 'departments';
const uuid = { type: 'string', format: 'uuid' } as const;
const nullableUuid = { type: ['string', 'null'], format: 'uuid' } as const;
const dateTime = { type: 'string', format: 'date-time' } as const;
const revision: SchemaObject = { type: 'integer', minimum: 0, description: 'The metadata revision after the change.' };

const userInputProperties: Record<string, SchemaObject> = {
  name: { type: 'string', minLength: 1, maxLength: 200 },
  email: { type: ['string', 'null'], format: 'email', maxLength: 254, description: 'Unique; the sign-in name.' },
  active: { type: 'boolean', description: 'An inactive user cannot sign in, and their sessions and tokens stop working at once.' },
  department_id: { ...nullableUuid, description: 'Their department: decides what "department" record scopes reach.' },
  manager_id: { ...nullableUuid, description: 'Their manager (no cycles).' },
  roles: { type: 'array', items: { type: 'string' }, uniqueItems: true, maxItems: 100, description: "Role API names; replaces the user's roles. Nobody changes their own." },
};

const departmentInputProperties: Record<string, SchemaObject> = {
  name: { type: 'string', minLength: 1, maxLength: 200 },
  parent_id: { ...nullableUuid, description: 'The department above it; null for a top-level one (no cycles).' },
};

const schemas: Record<string, SchemaObject> = {
  User: {
    type: 'object',
    properties: {
      id: uuid,
      name: { type: 'string' },
      email: { type: ['string', 'null'], format: 'email' },
      active: { type: 'boolean' },
      department_id: nullableUuid,
      manager_id: nullableUuid,
      roles: { type: 'array', items: { type: 'string' }, description: 'Role API names, sorted.' },
      created_at: dateTime,
      updated_at: dateTime,
    },
    required: ['id', 'name', 'email', 'active', 'department_id', 'manager_id', 'roles', 'created_at', 'updated_at'],
  },
  UserList: { type: 'object', properties: { data: { type: 'array', items: schemaRef('User') } }, required: ['data'] },
  UserCreateRequest: { type: 'object', properties: userInputProperties, required: ['name'], additionalProperties: false },
  UserPatch: { type: 'object', description: 'The properties to change.', properties: userInputProperties, additionalProperties: false },
  PasswordSetRequest: {
    type: 'object',
    properties: { password: { type: 'string', format: 'password', minLength: MIN_PASSWORD_LENGTH } },
    required: ['password'],
  },
  Department: {
    type: 'object',
    properties: { id: uuid, name: { type: 'string' }, parent_id: nullableUuid },
    required: ['id', 'name', 'parent_id'],
  },
  DepartmentList: { type: 'object', properties: { data: { type: 'array', items: schemaRef('Department') } }, required: ['data'] },
  DepartmentCreateRequest: { type: 'object', properties: departmentInputProperties, required: ['name'], additionalProperties: false },
  DepartmentPatch: { type: 'object', description: 'The properties to change.', properties: departmentInputProperties, additionalProperties: false },
  DepartmentResponse: {
    allOf: [schemaRef('Department'), { type: 'object', properties: { revision }, required: ['revision'] }],
  },
  DepartmentDeleted: { type: 'object', properties: { id: uuid, revision }, required: ['id', 'revision'] },
};

const userId = [pathParameter('id', 'User id.', uuid)];
const departmentId = [pathParameter('id', 'Department id.', uuid)];

function userPaths(admin: boolean) {
  return {
    '/api/users': pathItem({
      get: operation({
        operationId: 'list_users',
        summary: 'List users',
        tag: USERS,
        access: 'read',
        responses: { 200: jsonResponse('Every user, by name.', schemaRef('UserList')) },
      }),
      post:
        admin &&
        operation({
          operationId: 'create_user',
          summary: 'Create a user',
          description: 'Without a password: set one with `POST /api/users/{id}/password`. Recorded in the audit log.',
          tag: USERS,
          access: 'write',
          requestBody: jsonBody(schemaRef('UserCreateRequest')),
          responses: { 201: jsonResponse('The user.', schemaRef('User')) },
          errors: [409, 503],
        }),
    }),
    '/api/users/{id}': pathItem(
      {
        get: operation({
          operationId: 'get_user',
          summary: 'Get a user',
          tag: USERS,
          access: 'read',
          responses: { 200: jsonResponse('The user.', schemaRef('User')) },
          errors: [404],
        }),
        patch:
          admin &&
          operation({
            operationId: 'update_user',
            summary: 'Change a user',
            description: 'Changing roles, department, manager or `active` changes what people may see, so it is a metadata change (a new revision). Recorded in the audit log.',
            tag: USERS,
            access: 'write',
            requestBody: jsonBody(schemaRef('UserPatch')),
            responses: { 200: jsonResponse('The user.', schemaRef('User')) },
            errors: [404, 409, 503],
          }),
      },
      userId,
    ),
    '/api/users/{id}/password': pathItem(
      {
        post: operation({
          operationId: 'set_user_password',
          summary: "Set a user's password",
          description: `Your own, or, for administrators, anyone's (403 otherwise); at least ${MIN_PASSWORD_LENGTH} characters. Ends the user's sessions. To change your own password proving the current one, use \`POST /api/auth/password\`.`,
          tag: USERS,
          access: 'write',
          requestBody: jsonBody(schemaRef('PasswordSetRequest')),
          responses: { 204: noContent('Set.') },
          errors: [404],
        }),
      },
      userId,
    ),
  };
}

function departmentPaths(admin: boolean) {
  return {
    '/api/departments': pathItem({
      get: operation({
        operationId: 'list_departments',
        summary: 'List departments',
        description: 'The whole tree, as a flat list with `parent_id`.',
        tag: DEPARTMENTS,
        access: 'read',
        responses: { 200: jsonResponse('The departments.', schemaRef('DepartmentList')) },
      }),
      post:
        admin &&
        operation({
          operationId: 'create_department',
          summary: 'Create a department',
          tag: DEPARTMENTS,
          access: 'write',
          requestBody: jsonBody(schemaRef('DepartmentCreateRequest')),
          responses: { 201: jsonResponse('The department, with the new revision.', schemaRef('DepartmentResponse')) },
          errors: [409, 503],
        }),
    }),
    '/api/departments/{id}': pathItem(
      {
        patch:
          admin &&
          operation({
            operationId: 'update_department',
            summary: 'Rename or move a department',
            tag: DEPARTMENTS,
            access: 'write',
            requestBody: jsonBody(schemaRef('DepartmentPatch')),
            responses: { 200: jsonResponse('The department, with the new revision.', schemaRef('DepartmentResponse')) },
            errors: [404, 409, 503],
          }),
        delete:
          admin &&
          operation({
            operationId: 'delete_department',
            summary: 'Delete an empty department',
            description: 'A department with sub-departments or members cannot be deleted (409 `dependency_exists`).',
            tag: DEPARTMENTS,
            access: 'write',
            responses: { 200: jsonResponse('What was deleted, with the new revision.', schemaRef('DepartmentDeleted')) },
            errors: [404, 409, 503],
          }),
      },
      departmentId,
    ),
  };
}

export function organisationPaths(viewer: Viewer): DocumentPart {
  return {
    tags: [
      { name: USERS, description: 'Users, their roles and passwords' },
      { name: DEPARTMENTS, description: 'The department tree' },
    ],
    schemas,
    paths: definedPaths({ ...userPaths(viewer.administration), ...departmentPaths(viewer.administration) }),
  };
}
