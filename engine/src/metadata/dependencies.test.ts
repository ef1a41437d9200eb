import { describe, expect, it } from 'vitest';
import { systemActor } from '../actors';
import type { CrmError } from '../errors';
import { expectCrmError, uniqueName, useTestEngine } from '../testing';

// Its workflows send email and call webhooks: a server without their settings would refuse to save them.
const harness = useTestEngine({ delivery: { webhook: { secret: 'whsec_dependency_tests' }, mail: { smtpUrl: 'smtp://127.0.0.1:2525' } } });

const L = (en: string, zh: string) => ({ en, 'zh-CN': zh });

/**
 * A deal object whose `amount` is used by every kind of document (formula, default, layout,
 * view, validation rule, approval process, workflows of its own and of another object, role),
 * a line object rolled up into it, and a role the approval process and a workflow name.
 */
async function world() {
  const { engine } = harness();
  const deal = uniqueName('deal');
  const line = uniqueName('line');
  const role = uniqueName('sales');
  await engine.objects.create(systemActor, {
    name: deal,
    label: L('Deal', '交易'),
    title_field: 'title',
    fields: [
      { name: 'title', type: 'text', label: L('Title', '标题') },
      { name: 'amount', type: 'decimal', label: L('Amount', '金额') },
      { name: 'stage', type: 'select', label: L('Stage', '阶段'), options: [{ value: 'new', label: 'New' }, { value: 'won', label: 'Won' }] },
      { name: 'reason', type: 'select', label: L('Reason', '原因'), controlling_field: 'stage', options: [{ value: 'price', label: 'Price', valid_for: ['won'] }] },
      { name: 'approver', type: 'user', label: L('Approver', '审批人') },
      { name: 'contact_email', type: 'email', label: L('Contact email', '联系人邮箱') },
      { name: 'close_date', type: 'date', label: L('Close date', '成交日期') },
      { name: 'notes', type: 'text', label: L('Notes', '备注') },
      { name: 'floor', type: 'decimal', label: L('Floor', '底价'), default: { var: 'amount' } },
      { name: 'weighted_amount', type: 'formula', label: L('Weighted amount', '加权金额'), expression: { '*': [{ var: 'amount' }, 0.5] }, result_type: 'number' },
    ],
  });
  await engine.objects.create(systemActor, {
    name: line,
    label: L('Line', '明细'),
    fields: [
      { name: 'deal', type: 'lookup', label: L('Deal', '交易'), target: deal },
      { name: 'qty', type: 'integer', label: L('Quantity', '数量') },
    ],
  });
  await engine.fields.create(systemActor, deal, {
    name: 'line_qty',
    type: 'rollup',
    label: L('Line quantity', '明细数量'),
    child_object: line,
    relationship_field: 'deal',
    aggregate: 'sum',
    aggregate_field: 'qty',
    filter: { '>': [{ var: 'qty' }, 0] },
  });
  await engine.roles.create(systemActor, { name: role, label: L('Sales', '销售'), objects: { [deal]: { read: true, fields: { amount: 'read_only' } } } });
  await engine.layouts.create(systemActor, deal, {
    name: 'deal_form',
    type: 'form',
    label: L('Deal form', '交易表单'),
    sections: [{ columns: 2, fields: [{ field: 'title' }, { field: 'amount' }], visible_when: { '>': [{ var: 'amount' }, 0] } }],
  });
  await engine.layouts.create(systemActor, deal, {
    name: 'deal_page',
    type: 'detail',
    label: L('Deal page', '交易详情'),
    sections: [{ columns: 1, fields: [{ field: 'title' }] }],
    related_lists: [{ object: line, field: 'deal', columns: ['qty'], sort: [{ field: 'qty', direction: 'desc' }] }],
  });
  await engine.views.create(systemActor, deal, {
    name: 'big',
    type: 'list',
    label: L('Big deals', '大单'),
    columns: ['title', 'amount'],
    filter: { '>': [{ var: 'amount' }, 100] },
    sort: [{ field: 'amount', direction: 'desc' }],
  });
  await engine.views.create(systemActor, deal, { name: 'board', type: 'kanban', label: L('Board', '看板'), group_by: 'stage', card_fields: ['title'] });
  await engine.validationRules.create(systemActor, deal, {
    name: 'no_shrinking',
    label: L('No shrinking', '金额不减'),
    condition: { '>=': [{ var: 'amount' }, { var: '$old.amount' }] },
    message: L('The amount cannot shrink', '金额不能减少'),
    fields: ['amount'],
  });
  await engine.approvalProcesses.create(systemActor, deal, {
    name: 'big_deal',
    label: L('Big deal', '大单审批'),
    active: true,
    entry_criteria: { '>': [{ var: 'amount' }, 1000] },
    steps: [{ name: 'check', criteria: { '>': [{ var: 'amount' }, 5000] }, approvers: [{ type: 'field', field: 'approver' }, { type: 'role', role }], mode: 'any' }],
    on_approve: { amount: { '*': [{ var: 'amount' }, 1] }, floor: { var: 'amount' } },
  });
  await engine.workflows.create(systemActor, deal, {
    name: 'won_deal',
    label: L('Won deal', '赢单'),
    trigger: { type: 'record', events: ['updated'], fields: ['amount'], condition: { '>': [{ var: 'amount' }, { var: '$old.amount' }] } },
    actions: [
      { type: 'update_record', values: { floor: { var: 'amount' } } },
      { type: 'notify', recipients: [{ field: 'approver' }, { role }], title: 'Won {{amount}}', body: '{{#amount}}Amount: {{amount}}{{/amount}}' },
      { type: 'send_email', to: [{ field: 'contact_email' }], subject: 'Deal {{title}}', text: 'Amount {{amount}}' },
      { type: 'create_record', object: line, values: { deal: { var: 'id' }, qty: { var: 'amount' } } },
    ],
  });
  await engine.workflows.create(systemActor, deal, {
    name: 'closing',
    label: L('Closing soon', '即将成交'),
    trigger: { type: 'date', field: 'close_date', offset: -1, unit: 'days' },
    actions: [{ type: 'notify', recipients: [{ field: 'approver' }], title: 'Closing: {{notes}}' }],
  });
  await engine.workflows.create(systemActor, deal, {
    name: 'sweep',
    label: L('Morning sweep', '晨间巡检'),
    trigger: { type: 'schedule', cron: '0 8 * * *', filter: { '>': [{ var: 'amount' }, 0] }, older_than: { field: 'close_date', days: 7 } },
    actions: [
      { type: 'assign_owner', rules: [{ when: { '>': [{ var: 'amount' }, 10] }, round_robin: { role } }] },
      { type: 'add_share', field: 'approver', access: 'read' },
      { type: 'webhook', url: 'https://hooks.example.com/deals', body: { total: { var: 'amount' } } },
    ],
  });
  await engine.workflows.create(systemActor, line, {
    name: 'touch_deal',
    label: L('Touch deal', '更新交易'),
    trigger: { type: 'record', events: ['created'] },
    actions: [{ type: 'update_record', target: 'deal', values: { amount: { var: 'qty' } } }],
  });
  return { engine, deal, line, role };
}

/** A zh-CN message has no English words: only API names (in backticks) may be Latin. */
function expectChineseOnly(text: string): void {
  expect(text.replace(/`[^`]*`/g, ''), text).not.toMatch(/[A-Za-z]/);
}

function messages(error: CrmError, locale: 'en' | 'zh-CN'): { message: string; fields: string[] } {
  const body = error.toBody(locale).error;
  return { message: body.message, fields: body.fields.map((f) => f.message) };
}

describe('what a field, object or role is used by', () => {
  it('refuses to delete a field every kind of document computes with, naming each user and what it does with it, in both languages', async () => {
    const { engine, deal, line } = await world();
    const error = await expectCrmError(engine.fields.delete(systemActor, deal, 'amount'), 'dependency_exists');
    const en = messages(error, 'en');
    expect(en.message).toMatch(/^Cannot delete field `amount` \(Amount\): it is used by /);
    for (const user of [
      'formula `weighted_amount` (Weighted amount)',
      'field `floor` (Floor)',
      'layout `deal_form` (Deal form)',
      'view `big` (Big deals)',
      'validation rule `no_shrinking` (No shrinking)',
      'approval process `big_deal` (Big deal)',
      'workflow `won_deal` (Won deal)',
      `workflow \`${line}.touch_deal\` (Touch deal)`,
    ]) {
      expect(en.message).toContain(user);
    }
    expect(en.message).not.toContain('unknown variable');
    expect(en.fields).toEqual([
      'field `floor` (Floor) reads Amount in its default value',
      'formula `weighted_amount` (Weighted amount) reads Amount in its expression',
      'layout `deal_form` (Deal form) shows a section depending on Amount',
      'view `big` (Big deals) filters records on Amount, sorts records by Amount',
      'validation rule `no_shrinking` (No shrinking) reads Amount in its condition',
      'approval process `big_deal` (Big deal) reads Amount in its entry criteria, reads Amount in the criteria of a step, reads Amount to compute a field update, sets Amount when a request is approved',
      'workflow `sweep` (Morning sweep) reads Amount in its trigger, reads Amount to choose an owner, sends Amount in a webhook',
      'workflow `won_deal` (Won deal) runs when Amount changes, reads Amount in its trigger, reads Amount to compute a value it sets, writes Amount into a message',
      `workflow \`${line}.touch_deal\` (Touch deal) sets Amount`,
    ]);
    // One entry per user, each pointing at the first place it uses the field.
    expect(error.fields.map((f) => [f.code, f.path])).toEqual([
      ['used_by', `objects/${deal}/fields/floor/default/var`],
      ['used_by', `objects/${deal}/fields/weighted_amount/expression/*/0/var`],
      ['used_by', `objects/${deal}/layouts/deal_form/sections/0/visible_when/>/0/var`],
      ['used_by', `objects/${deal}/views/big/filter/>/0/var`],
      ['used_by', `objects/${deal}/validation_rules/no_shrinking/condition/>=/0/var`],
      ['used_by', `objects/${deal}/approval_processes/big_deal/entry_criteria/>/0/var`],
      ['used_by', `objects/${deal}/workflows/sweep/trigger/filter/>/0/var`],
      ['used_by', `objects/${deal}/workflows/won_deal/trigger/fields/0`],
      ['used_by', `objects/${line}/workflows/touch_deal/actions/0/values/amount`],
    ]);
    const zh = messages(error, 'zh-CN');
    expect(zh.message).toMatch(/^无法删除 字段 `amount`（金额）：它正被 /);
    expect(zh.message).toContain('公式字段 `weighted_amount`（加权金额）');
    expect(zh.fields[1]).toBe('公式字段 `weighted_amount`（加权金额） 在表达式中读取 金额');
    for (const text of [zh.message, ...zh.fields]) expectChineseOnly(text);
    // Nothing changed: the field, and the places that only display it, are all still there.
    expect(await engine.fields.get(systemActor, deal, 'amount')).toMatchObject({ name: 'amount' });
    expect((await engine.layouts.get(systemActor, deal, 'deal_form')).sections[0]!.fields).toEqual([{ field: 'title' }, { field: 'amount' }]);
    expect(await engine.views.get(systemActor, deal, 'big')).toMatchObject({ columns: ['title', 'amount'] });
  });

  it('refuses to delete a field that only a workflow template shows, and deletes one that is only displayed', async () => {
    const { engine, deal } = await world();
    const error = await expectCrmError(engine.fields.delete(systemActor, deal, 'notes'), 'dependency_exists');
    expect(messages(error, 'en').fields).toEqual(['workflow `closing` (Closing soon) writes Notes into a message']);
    expect(messages(error, 'zh-CN').fields).toEqual(['工作流 `closing`（即将成交） 在消息中写入 备注']);
    expect(error.fields[0]!.path).toBe(`objects/${deal}/workflows/closing/actions/0/title`);
    // A template naming a field that does not exist is refused when saved, like a rule's unknown variable.
    const typo = await expectCrmError(
      engine.workflows.update(systemActor, deal, 'closing', { actions: [{ type: 'notify', recipients: [{ field: 'approver' }], title: 'Closing: {{nots}}' }] }),
      'metadata_invalid',
    );
    expect(typo.fields.map((f) => f.path)).toEqual(['actions/0/title']);
    // Placed on a layout and listed in a view only: those places lose it, the delete goes through.
    await engine.fields.create(systemActor, deal, { name: 'memo', type: 'text', label: 'Memo' });
    await engine.layouts.update(systemActor, deal, 'deal_page', { sections: [{ columns: 1, fields: [{ field: 'title' }, { field: 'memo' }] }] });
    await engine.views.update(systemActor, deal, 'big', { columns: ['title', 'amount', 'memo'] });
    await engine.fields.delete(systemActor, deal, 'memo');
    expect((await engine.layouts.get(systemActor, deal, 'deal_page')).sections[0]!.fields).toEqual([{ field: 'title' }]);
    expect(await engine.views.get(systemActor, deal, 'big')).toMatchObject({ columns: ['title', 'amount'] });
  });

  it('renames a field in every document that uses it, workflow templates and approval field updates included', async () => {
    const { engine, deal, line, role } = await world();
    await engine.fields.update(systemActor, deal, 'amount', { name: 'value' });
    const v = { var: 'value' };
    expect(await engine.fields.get(systemActor, deal, 'weighted_amount')).toMatchObject({ expression: { '*': [v, 0.5] } });
    expect(await engine.fields.get(systemActor, deal, 'floor')).toMatchObject({ default: v });
    expect(await engine.layouts.get(systemActor, deal, 'deal_form')).toMatchObject({ sections: [{ fields: [{ field: 'title' }, { field: 'value' }], visible_when: { '>': [v, 0] } }] });
    expect(await engine.views.get(systemActor, deal, 'big')).toMatchObject({ columns: ['title', 'value'], filter: { '>': [v, 100] }, sort: [{ field: 'value', direction: 'desc' }] });
    expect(await engine.validationRules.get(systemActor, deal, 'no_shrinking')).toMatchObject({ fields: ['value'], condition: { '>=': [v, { var: '$old.value' }] } });
    expect(await engine.approvalProcesses.get(systemActor, deal, 'big_deal')).toMatchObject({
      entry_criteria: { '>': [v, 1000] },
      steps: [{ criteria: { '>': [v, 5000] } }],
      on_approve: { value: { '*': [v, 1] }, floor: v },
    });
    const won = await engine.workflows.get(systemActor, deal, 'won_deal');
    expect(won.trigger).toEqual({ type: 'record', events: ['updated'], fields: ['value'], condition: { '>': [v, { var: '$old.value' }] } });
    expect(won.actions).toMatchObject([
      { values: { floor: v } },
      { title: 'Won {{value}}', body: '{{#value}}Amount: {{value}}{{/value}}' },
      { text: 'Amount {{value}}' },
      { values: { qty: v } },
    ]);
    expect(await engine.workflows.get(systemActor, deal, 'sweep')).toMatchObject({
      trigger: { filter: { '>': [v, 0] } },
      actions: [{ rules: [{ when: { '>': [v, 10] } }] }, {}, { body: { total: v } }],
    });
    expect((await engine.workflows.get(systemActor, line, 'touch_deal')).actions).toEqual([{ type: 'update_record', target: 'deal', values: { value: { var: 'qty' } } }]);
    expect((await engine.roles.get(systemActor, role)).objects[deal]!.fields).toEqual({ value: 'read_only' });

    // A field of the child: the rollup, the related list and the workflow that creates lines follow.
    await engine.fields.update(systemActor, line, 'qty', { name: 'quantity' });
    await engine.fields.update(systemActor, line, 'deal', { name: 'parent' });
    expect(await engine.fields.get(systemActor, deal, 'line_qty')).toMatchObject({ relationship_field: 'parent', aggregate_field: 'quantity', filter: { '>': [{ var: 'quantity' }, 0] } });
    expect(await engine.layouts.get(systemActor, deal, 'deal_page')).toMatchObject({ related_lists: [{ object: line, field: 'parent', columns: ['quantity'], sort: [{ field: 'quantity', direction: 'desc' }] }] });
    expect((await engine.workflows.get(systemActor, deal, 'won_deal')).actions[3]).toEqual({ type: 'create_record', object: line, values: { parent: { var: 'id' }, quantity: v } });
    expect((await engine.workflows.get(systemActor, line, 'touch_deal')).actions).toEqual([{ type: 'update_record', target: 'parent', values: { value: { var: 'quantity' } } }]);

    // User, email, date and select fields: approvers, recipients, addresses, date triggers, dependent options.
    await engine.fields.update(systemActor, deal, 'approver', { name: 'reviewer' });
    await engine.fields.update(systemActor, deal, 'contact_email', { name: 'buyer_email' });
    await engine.fields.update(systemActor, deal, 'close_date', { name: 'closes_on' });
    await engine.fields.update(systemActor, deal, 'stage', { name: 'phase' });
    await engine.fields.update(systemActor, deal, 'title', { name: 'headline' });
    expect((await engine.approvalProcesses.get(systemActor, deal, 'big_deal')).steps[0]!.approvers).toEqual([{ type: 'field', field: 'reviewer' }, { type: 'role', role }]);
    expect((await engine.workflows.get(systemActor, deal, 'won_deal')).actions).toMatchObject([{}, { recipients: [{ field: 'reviewer' }, { role }] }, { to: [{ field: 'buyer_email' }], subject: 'Deal {{headline}}' }, {}]);
    expect((await engine.workflows.get(systemActor, deal, 'closing')).trigger).toMatchObject({ field: 'closes_on' });
    expect(await engine.workflows.get(systemActor, deal, 'sweep')).toMatchObject({ trigger: { older_than: { field: 'closes_on', days: 7 } }, actions: [{}, { field: 'reviewer' }, {}] });
    expect(await engine.fields.get(systemActor, deal, 'reason')).toMatchObject({ controlling_field: 'phase' });
    expect(await engine.views.get(systemActor, deal, 'board')).toMatchObject({ group_by: 'phase', card_fields: ['headline'] });
    expect(await engine.objects.get(systemActor, deal)).toMatchObject({ title_field: 'headline' });
  });

  it('renames an object in every document that names it, and refuses to delete one that is still used', async () => {
    const { engine, deal, line } = await world();
    const refused = await expectCrmError(engine.objects.delete(systemActor, line), 'dependency_exists');
    expect(messages(refused, 'en').message).toBe(
      `Cannot delete object \`${line}\` (Line): it is used by rollup \`${deal}.line_qty\` (Line quantity), workflow \`${deal}.won_deal\` (Won deal)`,
    );
    expect(messages(refused, 'en').fields).toEqual([
      `rollup \`${deal}.line_qty\` (Line quantity) rolls up Line records`,
      `workflow \`${deal}.won_deal\` (Won deal) creates Line records`,
    ]);
    for (const text of Object.values(messages(refused, 'zh-CN')).flat()) expectChineseOnly(text);
    const lookedUp = await expectCrmError(engine.objects.delete(systemActor, deal), 'dependency_exists');
    expect(messages(lookedUp, 'en').fields).toEqual([`lookup \`${line}.deal\` (Deal) looks up Deal records`, `workflow \`${line}.touch_deal\` (Touch deal) writes Deal records`]);
    expect(messages(lookedUp, 'zh-CN').fields).toEqual([`查找字段 \`${line}.deal\`（交易） 查找 交易 的记录`, `工作流 \`${line}.touch_deal\`（更新交易） 写入 交易 记录`]);

    const renamed = uniqueName('item');
    await engine.objects.update(systemActor, line, { name: renamed });
    expect(await engine.fields.get(systemActor, deal, 'line_qty')).toMatchObject({ child_object: renamed });
    expect(await engine.layouts.get(systemActor, deal, 'deal_page')).toMatchObject({ related_lists: [{ object: renamed }] });
    expect((await engine.workflows.get(systemActor, deal, 'won_deal')).actions[3]).toMatchObject({ type: 'create_record', object: renamed });
    expect((await engine.workflows.get(systemActor, renamed, 'touch_deal')).name).toBe('touch_deal');
  });

  it('refuses a type change that a rollup, a kanban, a dependent option, an approval or a workflow cannot take, saying what each does', async () => {
    const { engine, deal, line } = await world();
    const cases: [string, string, string, string[]][] = [
      [line, 'qty', 'text', [`rollup \`${deal}.line_qty\` (Line quantity) aggregates Quantity`]],
      [deal, 'stage', 'text', ['field `reason` (Reason) takes its allowed options from Stage', 'view `board` (Board) groups records by Stage']],
      [deal, 'approver', 'text', ['approval process `big_deal` (Big deal) takes approvers from Approver', 'workflow `closing` (Closing soon) notifies the user in Approver', 'workflow `sweep` (Morning sweep) shares records with the user in Approver', 'workflow `won_deal` (Won deal) notifies the user in Approver']],
      [deal, 'close_date', 'text', ['workflow `closing` (Closing soon) runs on the date in Close date', 'workflow `sweep` (Morning sweep) runs on the date in Close date']],
    ];
    for (const [object, field, type, users] of cases) {
      const error = await expectCrmError(engine.fields.update(systemActor, object, field, { type }), 'dependency_exists');
      expect(messages(error, 'en').message, field).toMatch(new RegExp(`^Cannot change the type of field \`${field}\` \\(`));
      expect(messages(error, 'en').fields, field).toEqual(users);
      const zh = messages(error, 'zh-CN');
      expect(zh.message).toMatch(/^无法更改类型 字段/);
      for (const text of [zh.message, ...zh.fields]) expectChineseOnly(text);
      expect((await engine.fields.get(systemActor, object, field)).type).not.toBe(type);
    }
    // Renamed and retyped at once: the rename is followed everywhere, so the new type is what is refused, under the old name.
    const both = await expectCrmError(engine.fields.update(systemActor, line, 'qty', { name: 'count', type: 'text' }), 'dependency_exists');
    expect(messages(both, 'en')).toEqual({
      message: `Cannot change the type of field \`qty\` (Quantity): it is used by rollup \`${deal}.line_qty\` (Line quantity)`,
      fields: [`rollup \`${deal}.line_qty\` (Line quantity) aggregates Quantity`],
    });
  });

  it('refuses to delete a role that an approval process and workflows name', async () => {
    const { engine, deal, role } = await world();
    const error = await expectCrmError(engine.roles.delete(systemActor, role), 'dependency_exists');
    expect(messages(error, 'en').message).toBe(
      `Cannot delete role \`${role}\` (Sales): it is used by approval process \`${deal}.big_deal\` (Big deal), workflow \`${deal}.sweep\` (Morning sweep), workflow \`${deal}.won_deal\` (Won deal)`,
    );
    expect(messages(error, 'en').fields).toEqual([
      `approval process \`${deal}.big_deal\` (Big deal) takes approvers from Sales`,
      `workflow \`${deal}.sweep\` (Morning sweep) assigns records in turn within Sales`,
      `workflow \`${deal}.won_deal\` (Won deal) notifies Sales`,
    ]);
    for (const text of Object.values(messages(error, 'zh-CN')).flat()) expectChineseOnly(text);
  });
});
