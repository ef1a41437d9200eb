import { EMAIL_TASK } from '../../delivery';
import { outputRecord } from '../../records/representation';
import { LOCALES } from '../../errors/catalogue';
import { addresses } from '../deliveries';
import { fieldTexts, referenceNames } from '../template-texts';
import type { ActionType } from './action-type';
import { askForDelivery } from './ask-for-delivery';
import { checkTemplate } from './checks';
import { apiName, name, template } from './schema-parts';
import { reason } from '../../errors';

const ADDRESS = /^[^<>@\s]+@[^<>@\s]+$/;

const addressList = {
  type: 'array',
  minItems: 1,
  maxItems: 50,
  items: {
    anyOf: [
      { type: 'string', minLength: 3, maxLength: 320 },
      { type: 'object', properties: { field: apiName }, required: ['field'], additionalProperties: false },
    ],
  },
};

/** Email (a job, sent after commit with retries) to addresses, email fields, or the users user fields hold. */
export const sendEmailAction: ActionType<'send_email'> = {
  type: 'send_email',
  schema: {
    properties: {
      type: { const: 'send_email' },
      name,
      to: addressList,
      cc: addressList,
      subject: { type: 'string', minLength: 1, maxLength: 1000 },
      text: template,
      html: template,
      locale: { enum: [...LOCALES], description: 'The language the record\'s values are written in (numbers, dates, option labels); default en.' },
    },
    required: ['type', 'to', 'subject'],
    additionalProperties: false,
    anyOf: [{ required: ['text'] }, { required: ['html'] }],
  },
  check(action, at, _scope, context) {
    for (const key of ['to', 'cc'] as const) {
      action[key]?.forEach((entry, r) => {
        const path = `${at}/${key}/${r}`;
        if (typeof entry === 'string') {
          if (!ADDRESS.test(entry.trim())) context.report(path, reason('not_an_email_address', { value: entry }));
          return;
        }
        const field = context.fields.get(entry.field);
        if (!field) context.report(`${path}/field`, reason('not_a_field_of_this_object', { name: entry.field }));
        else if (!field.type.emailRecipient) context.report(`${path}/field`, reason('field_not_email_or_user', { name: entry.field, type: field.definition.type }));
      });
    }
    checkTemplate(context, action.subject, `${at}/subject`);
    checkTemplate(context, action.text, `${at}/text`);
    checkTemplate(context, action.html, `${at}/html`);
  },
  run: async (action, context) => askForDelivery(action, context),
  renameField(action, rename) {
    const renamed = (list: typeof action.to | undefined) => list?.map((a) => (typeof a !== 'string' && a.field === rename.from ? { field: rename.to } : a));
    return {
      ...action,
      to: renamed(action.to)!,
      ...(action.cc ? { cc: renamed(action.cc)! } : {}),
      subject: rename.template(action.subject),
      ...(action.text !== undefined ? { text: rename.template(action.text) } : {}),
      ...(action.html !== undefined ? { html: rename.template(action.html) } : {}),
    };
  },
  async deliver(action, { run, key }, row, jobs) {
    const record = outputRecord(run.object, row, run.context);
    const to = await addresses(run.trx, run.object, row, action.to);
    if (to.length === 0) return { outcome: 'skipped', detail: { reason: 'no address' } };
    const cc = action.cc ? await addresses(run.trx, run.object, row, action.cc) : [];
    const templates = [action.subject, ...(action.text !== undefined ? [action.text] : []), ...(action.html !== undefined ? [action.html] : [])];
    const names = await referenceNames(run.trx, run.metadata, run.object, row, templates, run.context);
    const job = await jobs.enqueue(run.trx, {
      task: EMAIL_TASK,
      key,
      payload: {
        to,
        ...(cc.length ? { cc } : {}),
        subject: action.subject,
        ...(action.text !== undefined ? { text: action.text } : {}),
        ...(action.html !== undefined ? { html: action.html } : {}),
        record,
        field_texts: fieldTexts(run.metadata, run.object, record, templates, action.locale ?? 'en', names),
      },
    });
    return { outcome: 'done', detail: { job_id: job.id, to } };
  },
  needs: { setting: 'email', code: 'smtp_not_set' },
};
