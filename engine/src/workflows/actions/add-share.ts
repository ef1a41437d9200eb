import { addShare } from '../actions';
import type { ActionType } from './action-type';
import { checkUserField } from './checks';
import { apiName, name, uuid } from './schema-parts';
import { reason } from '../../errors';

/** Shares the record with a user, a department, or the user a user field holds. */
export const addShareAction: ActionType<'add_share'> = {
  type: 'add_share',
  schema: {
    properties: { type: { const: 'add_share' }, name, user_id: uuid, department_id: uuid, field: apiName, access: { enum: ['read', 'edit'] } },
    required: ['type', 'access'],
    additionalProperties: false,
    oneOf: [{ required: ['user_id'] }, { required: ['department_id'] }, { required: ['field'] }],
  },
  check(action, at, _scope, context) {
    if (action.field !== undefined) checkUserField(context, action.field, `${at}/field`);
    if (action.department_id !== undefined && !context.departmentIds.has(action.department_id)) context.report(`${at}/department_id`, reason('department_missing', { id: action.department_id }));
  },
  run: (action, { run }) => addShare(run, action),
  renameField: (action, rename) => (action.field !== undefined ? { ...action, field: rename.name(action.field) } : action),
  namedUsers: (action, at) => (action.user_id ? [{ id: action.user_id, path: `${at}/user_id` }] : []),
};
