import { describe, expect, it } from 'vitest';
import { systemActor, userActor } from '../actors';
import { expectCrmError, uniqueName, useTestEngine } from '../testing';

const harness = useTestEngine();

const L = (en: string, zh: string) => ({ en, 'zh-CN': zh });

/** A deal with labelled fields, a rule, a unique code, a dependent option; a rep who may not see `margin` nor change `discount`. */
async function deals() {
  const { engine } = harness();
  const deal = uniqueName('deal');
  await engine.objects.create(systemActor, {
    name: deal,
    label: L('Deal', '交易'),
    fields: [
      { name: 'title', type: 'text', label: L('Title', '标题'), required: true },
      { name: 'amount', type: 'decimal', label: L('Amount', '金额') },
      { name: 'code', type: 'text', label: L('Code', '编号'), unique: true },
      { name: 'stage', type: 'select', label: L('Stage', '阶段'), options: [{ value: 'new', label: 'New' }, { value: 'lost', label: 'Lost' }] },
      { name: 'loss_reason', type: 'select', label: L('Loss reason', '输单原因'), controlling_field: 'stage', options: [{ value: 'price', label: 'Price', valid_for: ['lost'] }] },
      { name: 'margin', type: 'percent', label: L('Margin', '毛利率') },
      { name: 'discount', type: 'percent', label: L('Discount', '折扣') },
      { name: 'notes', type: 'json', label: L('Notes', '备注') },
    ],
  });
  await engine.validationRules.create(systemActor, deal, {
    name: 'positive',
    condition: { '>': [{ var: 'amount' }, 0] },
    message: L('The amount must be positive', '金额必须为正数'),
    fields: ['amount', 'margin'],
  });
  const role = uniqueName('rep');
  await engine.roles.create(systemActor, { name: role, label: 'Rep', objects: { [deal]: { read: true, create: true, edit: true, fields: { margin: 'hidden', discount: 'read_only' } } } });
  const rep = userActor((await engine.users.create(systemActor, { name: 'Rep', email: `${role}@example.com`, roles: [role] })).id);
  return { engine, deal, rep };
}

describe('field errors name fields by their labels', () => {
  it('in the summary and every entry of a failing create, in the caller’s language, with the API name beside it', async () => {
    const { engine, deal } = await deals();
    const error = await expectCrmError(engine.records.create(systemActor, deal, { amount: 'lots', stage: 'won', colour: 'red' }), 'validation_failed');
    expect(error.toBody('zh-CN').error).toEqual({
      code: 'validation_failed',
      message: '输入无效：colour 不是此对象的字段; 金额 必须是数字; 阶段 "won" 不是允许的选项; 标题 为必填项',
      fields: [
        { path: 'colour', code: 'unknown_field', message: '不是此对象的字段' },
        { path: 'amount', code: 'type', message: '金额 必须是数字', field: 'amount', label: '金额' },
        { path: 'stage', code: 'option', message: '阶段 "won" 不是允许的选项', field: 'stage', label: '阶段' },
        { path: 'title', code: 'required', message: '标题 为必填项', field: 'title', label: '标题' },
      ],
    });
    expect(error.toBody('en').error.message).toBe('The input is not valid: colour is not a field of this object; Amount must be a decimal number; Stage "won" is not an allowed option; Title is required');
    // A dependent option names its controlling field by label too.
    const dependent = await expectCrmError(engine.records.create(systemActor, deal, { title: 'A', stage: 'new', loss_reason: 'price' }), 'validation_failed');
    expect(dependent.toBody('zh-CN').error.fields).toEqual([
      { path: 'loss_reason', code: 'dependent_option', message: '输单原因 当 阶段 为 "new" 时不允许 "price"', field: 'loss_reason', label: '输单原因' },
    ]);
  });

  it('in rule violations, unique violations and updates, keeping a rule’s own words', async () => {
    const { engine, deal } = await deals();
    const ruled = await expectCrmError(engine.records.create(systemActor, deal, { title: 'A', amount: '-1' }), 'rule_violation');
    expect(ruled.toBody('zh-CN').error.fields).toEqual([
      { path: 'amount', code: 'rule:positive', message: '金额必须为正数', field: 'amount', label: '金额' },
      { path: 'margin', code: 'rule:positive', message: '金额必须为正数', field: 'margin', label: '毛利率' },
    ]);
    await engine.records.create(systemActor, deal, { title: 'A', amount: '1', code: 'D-1' });
    const taken = await expectCrmError(engine.records.create(systemActor, deal, { title: 'B', amount: '1', code: 'D-1' }), 'unique_violation');
    expect(taken.toBody('zh-CN').error).toEqual({
      code: 'unique_violation',
      message: `已有其他 ${deal} 记录使用了相同的 编号`,
      fields: [{ path: 'code', code: 'unique', message: '编号 必须唯一，已有记录使用该值', field: 'code', label: '编号' }],
    });
    expect(taken.messageIn('en')).toBe(`Another ${deal} record already has this Code`);
    const record = await engine.records.create(systemActor, deal, { title: 'C', amount: '1' });
    const update = await expectCrmError(engine.records.update(systemActor, deal, record.id as string, { title: null }), 'validation_failed');
    expect(update.toBody('en').error.fields.map((f) => [f.field, f.message])).toEqual([['title', 'Title is required']]);
  });

  it('never by the label of a field hidden from the caller', async () => {
    const { engine, deal, rep } = await deals();
    const forbidden = await expectCrmError(engine.records.create(rep, deal, { title: 'A', margin: 5, discount: 10 }), 'field_forbidden');
    expect(forbidden.toBody('zh-CN').error).toEqual({
      code: 'field_forbidden',
      message: '您无权修改 margin、折扣',
      fields: [
        { path: 'margin', code: 'forbidden', message: '您无权修改' },
        { path: 'discount', code: 'forbidden', message: '折扣 您无权修改', field: 'discount', label: '折扣' },
      ],
    });
    expect(forbidden.messageIn('en')).toBe('You may not change margin, Discount');
    // A rule pointing at a hidden field too does not name it (the caller did not send it): it is reported at the visible one.
    const ruled = await expectCrmError(engine.records.create(rep, deal, { title: 'A', amount: '-1' }), 'rule_violation');
    expect(ruled.toBody('en').error.fields).toEqual([{ path: 'amount', code: 'rule:positive', message: 'The amount must be positive', field: 'amount', label: 'Amount' }]);
    const asAdmin = await expectCrmError(engine.records.create(systemActor, deal, { title: 'A', amount: '-1' }), 'rule_violation');
    expect(asAdmin.fields.map((issue) => issue.path)).toEqual(['amount', 'margin']);
  });

  it('in the field updates an approval applies when it is decided', async () => {
    const { engine, deal } = await deals();
    const boss = (await engine.users.create(systemActor, { name: 'Boss', email: `${uniqueName('boss')}@example.com` })).id;
    await engine.approvalProcesses.create(systemActor, deal, {
      name: 'discounting',
      label: 'Discounting',
      active: true,
      entry_criteria: true,
      steps: [{ name: 'boss', approvers: [{ type: 'user', user_id: boss }], mode: 'any' }],
      on_approve: { amount: '-5' },
    });
    const record = await engine.records.create(systemActor, deal, { title: 'A', amount: '10' });
    const request = await engine.approvals.submit(systemActor, deal, record.id as string, {});
    const error = await expectCrmError(engine.approvals.approve(userActor(boss), request.id, {}), 'rule_violation');
    expect(error.toBody('zh-CN').error.fields[0]).toEqual({ path: 'amount', code: 'rule:positive', message: '金额必须为正数', field: 'amount', label: '金额' });
  });

  it('only in errors about the record’s input, not in a failed workflow’s own entry', async () => {
    const { engine } = harness();
    const job = uniqueName('job');
    const task = uniqueName('task');
    await engine.objects.create(systemActor, {
      name: task,
      label: 'Task',
      fields: [
        { name: 'subject', type: 'text', label: L('Subject', '主题'), required: true },
        { name: 'note', type: 'text', label: 'Note' },
      ],
    });
    // A field that happens to be called like the workflow_failed entry's path.
    await engine.objects.create(systemActor, { name: job, label: 'Job', fields: [{ name: 'action', type: 'text', label: L('Action', '动作') }] });
    await engine.workflows.create(systemActor, job, { name: 'make_task', trigger: { type: 'record', events: ['created'] }, actions: [{ type: 'create_record', object: task, values: { note: { var: 'action' } } }] });
    const error = await expectCrmError(engine.records.create(systemActor, job, { action: 'x' }), 'workflow_failed');
    const entry = error.toBody('zh-CN').error.fields[0]!;
    expect(entry).toEqual({ path: 'action', code: 'invalid', message: expect.stringContaining('主题 为必填项') });
  });

  it('in bulk rows (replays included), transfers and sorts', async () => {
    const { engine, deal } = await deals();
    const request = { operation: 'create', records: [{ title: 'ok', amount: '1' }, { amount: '1' }] };
    const idempotency = { key: uniqueName('bulk'), fingerprint: 'f' };
    for (const result of [await engine.records.bulk(systemActor, deal, request, { idempotency }), await engine.records.bulk(systemActor, deal, request, { idempotency })]) {
      expect(result.results.map((r) => r.status)).toEqual(['created', 'failed']);
      expect(result.results[1]!.error!.toBody('zh-CN').error).toMatchObject({ message: '输入无效：标题 为必填项', fields: [{ field: 'title', label: '标题' }] });
    }
    const [first] = (await engine.records.list(systemActor, deal)).data;
    const transfer = await expectCrmError(engine.records.transfer(systemActor, deal, [first!.id], 'nobody'), 'validation_failed');
    expect(transfer.toBody('zh-CN').error.fields).toEqual([{ path: 'owner_id', code: 'type', message: '负责人 必须是用户 ID', field: 'owner_id', label: '负责人' }]);
    const sort = await expectCrmError(engine.records.list(systemActor, deal, { sort: 'notes' }), 'sort_invalid');
    expect(sort.messageIn('zh-CN')).toBe('无法按 "备注" 排序：json 类型的字段不能排序');
  });
});
