import { beforeAll, describe, expect, it } from 'vitest';
import { systemActor, userActor, type Actor } from '../actors';
import type { Engine } from '../engine';
import { uniqueName, useTestEngine } from '../testing';

// Email jobs are only enqueued here (no worker runs): a setting that lets a send_email workflow be saved.
const harness = useTestEngine({ delivery: { mail: { smtpUrl: 'smtp://127.0.0.1:2525' } } });

let engine: Engine;
let rep: Actor;
let repId: string;
let deal: string;
let accountId: string;

const TEMPLATE = {
  title: 'Won {{title}} ({{amount}})',
  body: 'Stage {{stage}}; tags {{tags}}; closes {{close_date}}; vip {{vip}}; {{probability}}; account {{account}}; reviewer {{reviewer}}; raw [{{#tags}}{{.}} {{/tags}}]{{#vip}} VIP{{/vip}}',
};

beforeAll(async () => {
  ({ engine } = harness());
  await engine.roles.create(systemActor, { name: 'nt_rep', label: 'Rep', objects: { '*': { read: true, create: true, edit: true, delete: true, read_scope: 'own', edit_scope: 'own' } } });
  repId = (await engine.users.create(systemActor, { name: 'Li Lei', email: `${uniqueName('nt')}@example.com`, roles: ['nt_rep'] })).id;
  rep = userActor(repId);
  const account = uniqueName('account');
  await engine.objects.create(systemActor, { name: account, label: 'Account', title_field: 'name', fields: [{ name: 'name', type: 'text', label: 'Name' }] });
  accountId = (await engine.records.create(rep, account, { name: '华信精密' })).id as string;
  deal = uniqueName('deal');
  await engine.objects.create(systemActor, {
    name: deal,
    label: 'Deal',
    fields: [
      { name: 'title', type: 'text', label: 'Title' },
      { name: 'amount', type: 'currency', label: 'Amount', currency_code: 'CNY' },
      { name: 'stage', type: 'select', label: 'Stage', options: [{ value: 'new', label: 'New' }, { value: 'won', label: { en: 'Won', 'zh-CN': '赢单' } }] },
      { name: 'tags', type: 'multiselect', label: 'Tags', options: [{ value: 'vip', label: { en: 'VIP', 'zh-CN': '重要' } }, { value: 'referral', label: { en: 'Referral', 'zh-CN': '转介绍' } }] },
      { name: 'close_date', type: 'date', label: 'Close date' },
      { name: 'vip', type: 'boolean', label: 'VIP' },
      { name: 'probability', type: 'percent', label: 'Probability' },
      { name: 'account', type: 'lookup', label: 'Account', target: account },
      { name: 'reviewer', type: 'user', label: 'Reviewer' },
    ],
  });
});

const notesOf = async (recordId: string, locale?: 'en' | 'zh-CN') => (await engine.notifications.list(rep, {}, locale)).filter((n) => n.record_id === recordId);

describe('notification and email texts', () => {
  it('write values as the UI shows them, in the reader\'s language, when an update notifies (names looked up)', async () => {
    await engine.workflows.create(systemActor, deal, { name: 'won', trigger: { type: 'record', events: ['updated'], fields: ['stage'] }, actions: [{ type: 'notify', recipients: [{ field: 'owner_id' }], ...TEMPLATE }] });
    const created = await engine.records.create(rep, deal, { title: 'Acme', amount: '38000', tags: ['vip', 'referral'], close_date: '2026-03-05', vip: true, probability: '12.5', account: accountId, reviewer: repId });
    await engine.records.update(rep, deal, created.id as string, { stage: 'won' }, { expectedVersion: created.version as number });
    const [en] = await notesOf(created.id as string);
    expect(en).toMatchObject({
      title: 'Won Acme (CN¥38,000.00)',
      body: 'Stage Won; tags VIP, Referral; closes Mar 5, 2026; vip Yes; 12.5%; account 华信精密; reviewer Li Lei; raw [vip referral ] VIP',
    });
    const [zh] = await notesOf(created.id as string, 'zh-CN');
    expect(zh).toMatchObject({
      id: en!.id,
      title: 'Won Acme (¥38,000.00)',
      body: 'Stage 赢单; tags 重要、转介绍; closes 2026年3月5日; vip 是; 12.5%; account 华信精密; reviewer Li Lei; raw [vip referral ] VIP',
    });
    await expect(engine.notifications.markRead(rep, zh!.id, 'zh-CN')).resolves.toMatchObject({ title: 'Won Acme (¥38,000.00)' });
    await engine.workflows.delete(systemActor, deal, 'won');
  });

  it('reads the same on a planned create (no reference read), with a template per language, and leaves empty values empty', async () => {
    await engine.workflows.create(systemActor, deal, {
      name: 'hello',
      trigger: { type: 'record', events: ['created'] },
      actions: [{ type: 'notify', recipients: [{ field: 'owner_id' }], title: { en: '{{title}}: {{amount}} / {{stage}}', 'zh-CN': '{{title}}：{{amount}}／{{stage}}' }, body: 'closes {{close_date}}, vip {{vip}}' }],
    });
    const created = await engine.records.create(rep, deal, { title: 'Blue Peak', amount: '1234567.5', stage: 'won', vip: false });
    const [en] = await notesOf(created.id as string);
    expect(en).toMatchObject({ title: 'Blue Peak: CN¥1,234,567.50 / Won', body: 'closes , vip No' });
    const [zh] = await notesOf(created.id as string, 'zh-CN');
    // A template per language: each reader gets theirs.
    expect(zh).toMatchObject({ title: 'Blue Peak：¥1,234,567.50／赢单', body: 'closes , vip 否' });
    const [run] = await engine.workflowRuns.list(systemActor, { workflow: 'hello', limit: 1 });
    expect(run!.actions[0]).toMatchObject({ outcome: 'done', detail: { recipients: [repId] } });
    await engine.workflows.delete(systemActor, deal, 'hello');
  });

  it('gives an email job the fields its templates read, written in the action\'s language', async () => {
    await engine.workflows.create(systemActor, deal, {
      name: 'mail_won',
      trigger: { type: 'record', events: ['created'] },
      actions: [{ name: 'mail', type: 'send_email', to: ['boss@example.com'], subject: TEMPLATE.title, text: TEMPLATE.body, locale: 'zh-CN' }],
    });
    const created = await engine.records.create(rep, deal, { title: 'Acme', amount: '38000', stage: 'won', tags: ['vip'], close_date: '2026-03-05', vip: false, account: accountId, reviewer: repId });
    const [run] = await engine.workflowRuns.list(systemActor, { workflow: 'mail_won', record: created.id as string });
    const job = await engine.jobs.get(systemActor, run!.actions[0]!.detail!.job_id as string);
    expect(job.payload.field_texts).toEqual({ title: 'Acme', amount: '¥38,000.00', stage: '赢单', tags: '重要', close_date: '2026年3月5日', vip: '否', account: '华信精密', reviewer: 'Li Lei' });
    await engine.workflows.delete(systemActor, deal, 'mail_won');
  });
});
