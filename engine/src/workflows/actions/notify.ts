import { templateReads } from '../../delivery/render-template';
import { postNotifications } from '../../notifications/notification-service';
import { outputRecord } from '../../records/representation';
import { recipients } from '../deliveries';
import { notificationTexts, notifyTemplates, referenceNames } from '../template-texts';
import type { Recipient } from '../types';
import type { ActionType } from './action-type';
import { askForDelivery } from './ask-for-delivery';
import { checkTemplate, checkUserField } from './checks';
import { apiName, name, template, uuid } from './schema-parts';
import { reason } from '../../errors';

/** An in-app notification to named users, user fields of the record, or holders of a role. */
export const notifyAction: ActionType<'notify'> = {
  type: 'notify',
  schema: {
    properties: {
      type: { const: 'notify' },
      name,
      recipients: {
        type: 'array',
        minItems: 1,
        maxItems: 20,
        items: {
          type: 'object',
          oneOf: [
            { properties: { user_id: uuid }, required: ['user_id'], additionalProperties: false },
            { properties: { field: apiName }, required: ['field'], additionalProperties: false },
            { properties: { role: apiName }, required: ['role'], additionalProperties: false },
          ],
        },
      },
      title: { type: 'string', minLength: 1, maxLength: 500 },
      body: template,
    },
    required: ['type', 'recipients', 'title'],
    additionalProperties: false,
  },
  check(action, at, _scope, context) {
    action.recipients.forEach((recipient: Recipient, r) => {
      if ('field' in recipient) checkUserField(context, recipient.field, `${at}/recipients/${r}/field`);
      if ('role' in recipient && !context.roleNames.has(recipient.role)) context.report(`${at}/recipients/${r}/role`, reason('role_missing', { name: recipient.role }));
    });
    checkTemplate(context, action.title, `${at}/title`);
    checkTemplate(context, action.body, `${at}/body`);
  },
  run: async (action, context) => askForDelivery(action, context),
  plan(action, index, planner) {
    planner.refuseUnknown(templateReads(action.title));
    if (action.body !== undefined) planner.refuseUnknown(templateReads(action.body));
    // Names of referenced records and users need the database: the after-insert run looks them up.
    planner.refuseReferences(action);
    planner.notify(action, index);
  },
  renameField: (action, rename) => ({
    ...action,
    recipients: action.recipients.map((r) => ('field' in r && r.field === rename.from ? { field: rename.to } : r)),
    title: rename.template(action.title),
    ...(action.body !== undefined ? { body: rename.template(action.body) } : {}),
  }),
  namedUsers: (action, at) => action.recipients.flatMap((r, n) => ('user_id' in r ? [{ id: r.user_id, path: `${at}/recipients/${n}/user_id` }] : [])),
  async deliver(action, { run }, row) {
    const record = outputRecord(run.object, row, run.context);
    const users = await recipients(run.trx, run.metadata, row, action.recipients);
    if (users.length === 0) return { outcome: 'skipped', detail: { reason: 'no recipient' } };
    const names = await referenceNames(run.trx, run.metadata, run.object, row, notifyTemplates(action), run.context);
    const texts = notificationTexts(run.metadata, run.object, record, action, names);
    const recordId = row.id as string;
    await postNotifications(run.trx, users.map((userId) => ({ userId, ...texts, object: run.object.name, recordId, workflow: run.workflow.name })));
    return { outcome: 'done', detail: { recipients: users } };
  },
};
