import { systemActor } from '../../actors';
import { truthy } from '../../rules';
import { cachedRule } from '../../rules/rule-cache';
import { actionKey, nextInTurn } from '../actions';
import type { Assignee } from '../types';
import type { ActionType } from './action-type';
import { checkRoundRobin } from './checks';
import { apiName, name, uuid } from './schema-parts';

const roundRobin = {
  type: 'object',
  oneOf: [
    { properties: { role: apiName }, required: ['role'], additionalProperties: false },
    { properties: { department_id: uuid }, required: ['department_id'], additionalProperties: false },
  ],
};

const assignee = {
  type: 'object',
  oneOf: [
    { properties: { user_id: uuid }, required: ['user_id'] },
    { properties: { round_robin: roundRobin }, required: ['round_robin'] },
  ],
};

/** Gives the record an owner: a user, the next in turn of a role or department, or the first rule's that holds. */
export const assignOwnerAction: ActionType<'assign_owner'> = {
  type: 'assign_owner',
  schema: {
    properties: {
      type: { const: 'assign_owner' },
      name,
      user_id: uuid,
      round_robin: roundRobin,
      rules: {
        type: 'array',
        minItems: 1,
        maxItems: 50,
        items: {
          type: 'object',
          properties: { when: {}, user_id: uuid, round_robin: roundRobin },
          required: ['when'],
          additionalProperties: false,
          oneOf: [{ required: ['user_id'] }, { required: ['round_robin'] }],
        },
      },
      otherwise: { ...assignee, properties: { user_id: uuid, round_robin: roundRobin }, additionalProperties: false },
    },
    required: ['type'],
    additionalProperties: false,
    oneOf: [{ required: ['user_id'] }, { required: ['round_robin'] }, { required: ['rules'] }],
  },
  check(action, at, scope, context) {
    if ('round_robin' in action) checkRoundRobin(context, action.round_robin, `${at}/round_robin`);
    if ('rules' in action) {
      action.rules.forEach((rule, r) => {
        context.checkRule(`${at}/rules/${r}/when`, rule.when, scope);
        if ('round_robin' in rule) checkRoundRobin(context, rule.round_robin, `${at}/rules/${r}/round_robin`);
      });
      if (action.otherwise && 'round_robin' in action.otherwise) checkRoundRobin(context, action.otherwise.round_robin, `${at}/otherwise/round_robin`);
    }
  },
  async run(action, { run, services, index, recordId, self }) {
    let assignee: Assignee | undefined;
    if ('rules' in action) {
      assignee = action.rules.find((rule) => truthy(cachedRule(rule.when)(run.data))) ?? action.otherwise;
      if (!assignee) return { outcome: 'skipped', detail: { reason: 'no rule applies' } };
    } else assignee = action;
    const ownerId = 'user_id' in assignee ? assignee.user_id : await nextInTurn(run, actionKey(action, index), assignee.round_robin);
    if (run.latest.row.owner_id === ownerId) return { outcome: 'skipped', detail: { reason: 'already the owner', owner_id: ownerId } };
    await services.records.update(systemActor, run.object.name, recordId, { owner_id: ownerId }, { within: self });
    return { outcome: 'done', detail: { owner_id: ownerId } };
  },
  renameField: (action, rename) => ('rules' in action ? { ...action, rules: action.rules.map((r) => ({ ...r, when: rename.rule(r.when) })) } : action),
  namedUsers(action, at) {
    const named: { id: string; path: string }[] = [];
    if ('user_id' in action && action.user_id) named.push({ id: action.user_id, path: `${at}/user_id` });
    if ('rules' in action) {
      action.rules.forEach((rule, r) => 'user_id' in rule && named.push({ id: rule.user_id, path: `${at}/rules/${r}/user_id` }));
      if (action.otherwise && 'user_id' in action.otherwise) named.push({ id: action.otherwise.user_id, path: `${at}/otherwise/user_id` });
    }
    return named;
  },
  takesTurns: (action) =>
    'round_robin' in action || ('rules' in action && (action.rules.some((r) => 'round_robin' in r) || (action.otherwise !== undefined && 'round_robin' in action.otherwise))),
};
