import { templateReads } from '../../delivery/render-template';
import { postNotifications } from '../../notifications/notification-service';
import { outputRecord } from '../../records/representation';
import { recipients } from '../deliveries';
import { notificationTexts, notifyTemplates, referenceNames, templateVariants } from '../template-texts';
import type { Recipient } from '../types';
import type { ActionType } from './action-type';
import { askForDelivery } from './ask-for-delivery';
import { checkTemplate, checkUserField } from './checks';
import { apiName, localizedTemplate, name, uuid } from './schema-parts';
import type { LocalizedTemplate } from '../types';
import { reason } from '../../errors';

function renamed(text: LocalizedTemplate, template: (text: string) => string): LocalizedTemplate {
  return typeof text === 'string' ? template(text) : Object.fromEntries(Object.entries(text).map(([locale, t]) => [locale, template(t)]));
}

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
      title: localizedTemplate(500),
      body: localizedTemplate(20_000),
    },
    required: ['type', 'recipients', 'title'],
    additionalProperties: false,
  },
  check(action, at, _scope, context) {
    action.recipients.forEach((recipient: Recipient, r) => {
      if ('field' in recipient) checkUserField(context, recipient.field, `${at}/recipients/${r}/field`);
      if ('role' in recipient && !context.roleNames.has(recipient.role)) context.report(`${at}/recipients/${r}/role`, reason('role_missing', { name: recipient.role }));
    });
    for (const [key, text] of [['title', action.title], ['body', action.body]] as const) {
      for (const [path, template] of templateVariants(text, `${at}/${key}`)) checkTemplate(context, template, path);
    }
  },
  run: async (action, context) => askForDelivery(action, context),
  plan(action, index, planner) {
    for (const template of notifyTemplates(action)) planner.refuseUnknown(templateReads(template));
    // Names of referenced records and users need the database: the after-insert run looks them up.
    planner.refuseReferences(action);
    planner.notify(action, index);
  },
  renameField: (action, rename) => ({
    ...action,
    recipients: action.recipients.map((r) => ('field' in r && r.field === rename.from ? { field: rename.to } : r)),
    title: renamed(action.title, rename.template),
    ...(action.body !== undefined ? { body: renamed(action.body, rename.template) } : {}),
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
