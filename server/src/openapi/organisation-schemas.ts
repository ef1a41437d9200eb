import { MIN_PASSWORD_LENGTH } from '@crm/engine';
import { schemaRef, type DocumentPart, type SchemaObject } from './types';

/**
 * Users (/api/users) and departments (/api/departments). Everyone signed in may look them up (to
 * pick an owner, to share with a department); only administrators change them, so the changes
 * are described to administrators only. The shapes mirror users/user-service.ts (User,
 * UserInput and its validator) and security/department-service.ts.
 */

export const uuid = { type: 'string', format: 'uuid' } as const;
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

export const USERS_TAG = { name: 'users', description: 'Users, their roles and passwords' } as const;
export const DEPARTMENTS_TAG = { name: 'departments', description: 'The department tree' } as const;

export function organisationComponents(): DocumentPart {
  return { paths: {}, tags: [USERS_TAG, DEPARTMENTS_TAG], schemas };
}
