import { describe, expect, it } from 'vitest';
import { systemActor, userActor } from '../actors';
import { isCrmError, type CrmError } from '../errors';
import { planUpdate } from '../records/write-update';
import { expectCrmError, uniqueName, useTestEngine } from '../testing';
import { installTemplate } from '../templates/install-template';
import { readTemplate } from '@crm/templates';

const harness = useTestEngine();

const STAGES = ['new', 'proposal', 'won', 'lost'].map((value) => ({ value, label: value }));
const LOST_NEEDS_REASON = {
  name: 'lost_needs_reason',
  condition: { or: [{ '!=': [{ var: 'stage' }, 'lost'] }, { '!!': [{ var: 'loss_reason' }] }] },
  message: { en: 'A lost deal needs a loss reason', 'zh-CN': '输单需要填写原因' },
  fields: ['loss_reason'],
};
const WON_NEEDS_CLOSE_DATE = {
  name: 'won_needs_close_date',
  condition: { or: [{ '!=': [{ var: 'stage' }, 'won'] }, { '!!': [{ var: 'close_date' }] }] },
  message: 'A won deal needs a close date',
  fields: ['close_date'],
};
const WON_IS_FINAL = {
  name: 'won_is_final',
  condition: { or: [{ '!=': [{ var: '$old.stage' }, 'won'] }, { '==': [{ var: 'stage' }, 'won'] }] },
  message: 'A won deal stays won',
  fields: ['stage'],
};

/** A deal object with the given validation rules. */
async function deals(...rules: unknown[]): Promise<string> {
  const { engine } = harness();
  const name = uniqueName('deal');
  await engine.objects.create(systemActor, {
    name,
    label: 'Deal',
    fields: [
      { name: 'title', type: 'text', label: 'Title', unique: true },
      { name: 'stage', type: 'select', label: 'Stage', options: STAGES },
      { name: 'amount', type: 'currency', label: 'Amount' },
      { name: 'discount', type: 'percent', label: 'Discount' },
      { name: 'close_date', type: 'date', label: 'Close date' },
      { name: 'loss_reason', type: 'text', label: 'Loss reason' },
      { name: 'net', type: 'formula', label: 'Net', result_type: 'number', expression: { '*': [{ var: 'amount' }, { '-': [1, { '/': [{ var: 'discount' }, 100] }] }] } },
    ],
  });
  for (const rule of rules) await engine.validationRules.create(systemActor, name, rule);
  return name;
}

async function count(name: string): Promise<number> {
  return (await harness().engine.records.list(systemActor, name, { limit: 500 })).data.length;
}

function ruleFields(error: CrmError | undefined) {
  return error?.fields.map((f) => ({ path: f.path, code: f.code }));
}

describe('validation rules on writes', () => {
  it('refuses a create that breaks a rule, with the rule code, its message per language, and nothing written', async () => {
    const { engine } = harness();
    const name = await deals(LOST_NEEDS_REASON);
    const error = await expectCrmError(engine.records.create(systemActor, name, { title: 'A', stage: 'lost' }), 'rule_violation');
    expect(error.status).toBe(422);
    expect(error.fields).toEqual([{ path: 'loss_reason', code: 'rule:lost_needs_reason', message: LOST_NEEDS_REASON.message, field: 'loss_reason', label: 'Loss reason' }]);
    const en = error.toBody('en').error;
    expect(en.fields).toEqual([{ path: 'loss_reason', code: 'rule:lost_needs_reason', message: 'A lost deal needs a loss reason', field: 'loss_reason', label: 'Loss reason' }]);
    expect(en.message).toContain('A lost deal needs a loss reason');
    const zh = error.toBody('zh-CN').error;
    expect(zh.fields[0]!.message).toBe('输单需要填写原因');
    expect(zh.message).toContain('输单需要填写原因');
    expect(await count(name)).toBe(0);
    const ok = await engine.records.create(systemActor, name, { title: 'B', stage: 'lost', loss_reason: 'price' });
    expect(ok.stage).toBe('lost');
    expect(await count(name)).toBe(1);
  });

  it('runs after input checks: bad input is validation_failed, not a rule violation', async () => {
    const { engine } = harness();
    const name = await deals(LOST_NEEDS_REASON);
    await expectCrmError(engine.records.create(systemActor, name, { title: 'A', stage: 'lost', amount: 'lots' }), 'validation_failed');
  });

  it('reports every failing rule at once, one entry per field it points at, in rule name order', async () => {
    const { engine } = harness();
    const name = await deals(WON_NEEDS_CLOSE_DATE, LOST_NEEDS_REASON, {
      name: 'amount_positive',
      condition: { '>': [{ var: 'amount' }, 0] },
      message: 'Amount must be positive',
      fields: ['amount', 'discount'],
    }, {
      name: 'title_not_test',
      condition: { '!=': [{ var: 'title' }, 'test'] },
      message: 'No test deals',
      fields: [],
    });
    const error = await expectCrmError(engine.records.create(systemActor, name, { title: 'test', stage: 'lost', amount: '0' }), 'rule_violation');
    expect(ruleFields(error)).toEqual([
      { path: 'amount', code: 'rule:amount_positive' },
      { path: 'discount', code: 'rule:amount_positive' },
      { path: 'loss_reason', code: 'rule:lost_needs_reason' },
      { path: '', code: 'rule:title_not_test' },
    ]);
    // A rule pointing at two fields is said once in the summary.
    expect(error.message.match(/Amount must be positive/g)).toHaveLength(1);
  });

  it('judges an update by the whole merged record, even when the patch touches one other field', async () => {
    const { engine } = harness();
    const name = await deals(WON_NEEDS_CLOSE_DATE);
    const deal = await engine.records.create(systemActor, name, { title: 'A', stage: 'won', close_date: '2026-10-01' });
    const error = await expectCrmError(engine.records.update(systemActor, name, deal.id as string, { close_date: null }), 'rule_violation');
    expect(ruleFields(error)).toEqual([{ path: 'close_date', code: 'rule:won_needs_close_date' }]);
    expect((await engine.records.get(systemActor, name, deal.id as string)).close_date).toBe('2026-10-01');
    // Unrelated patches pass through the same (locked) path.
    const renamed = await engine.records.update(systemActor, name, deal.id as string, { title: 'A2' }, { expectedVersion: 1 });
    expect(renamed).toMatchObject({ title: 'A2', version: 2 });
    // A record stored before a rule existed: a write that changes nothing is not judged, any other write is.
    const old = await engine.records.create(systemActor, name, { title: 'C', stage: 'lost' });
    await engine.validationRules.create(systemActor, name, LOST_NEEDS_REASON);
    expect((await engine.records.update(systemActor, name, old.id as string, { stage: 'lost' })).version).toBe(1);
    const later = await expectCrmError(engine.records.update(systemActor, name, old.id as string, { title: 'C2' }), 'rule_violation');
    expect(ruleFields(later)).toEqual([{ path: 'loss_reason', code: 'rule:lost_needs_reason' }]);
  });

  it('compares with $old: a won deal cannot go back, and $old is null on create', async () => {
    const { engine } = harness();
    const name = await deals(WON_IS_FINAL);
    const deal = await engine.records.create(systemActor, name, { title: 'A', stage: 'won' });
    const error = await expectCrmError(engine.records.update(systemActor, name, deal.id as string, { stage: 'proposal' }), 'rule_violation');
    expect(ruleFields(error)).toEqual([{ path: 'stage', code: 'rule:won_is_final' }]);
    await engine.records.update(systemActor, name, deal.id as string, { amount: '10' });
    const open = await engine.records.create(systemActor, name, { title: 'B', stage: 'proposal' });
    await engine.records.update(systemActor, name, open.id as string, { stage: 'won' });
  });

  it('reads $today, $user and formulas: a rule only for creates, one for one role, one on a computed value', async () => {
    const { engine } = harness();
    const name = await deals(
      {
        name: 'close_not_past_on_create',
        // $old.id is null only while the record is being created.
        condition: { or: [{ '!==': [{ var: '$old.id' }, null] }, { '!': [{ var: 'close_date' }] }, { '>=': [{ var: 'close_date' }, { var: '$today' }] }] },
        message: 'The close date cannot be in the past',
        fields: ['close_date'],
      },
      {
        name: 'net_not_negative',
        condition: { '>=': [{ var: 'net' }, 0] },
        message: 'The discount is too large',
        fields: ['discount'],
      },
    );
    await expectCrmError(engine.records.create(systemActor, name, { title: 'A', close_date: '2000-01-01' }), 'rule_violation');
    const deal = await engine.records.create(systemActor, name, { title: 'A', close_date: '2999-01-01', amount: '100', discount: '10' });
    expect(deal.net).toBe(90);
    await engine.records.update(systemActor, name, deal.id as string, { close_date: '2000-01-01' });
    const error = await expectCrmError(engine.records.update(systemActor, name, deal.id as string, { discount: '150' }), 'rule_violation');
    expect(ruleFields(error)).toEqual([{ path: 'discount', code: 'rule:net_not_negative' }]);

    const roleName = uniqueName('rep');
    await engine.roles.create(systemActor, { name: roleName, label: 'Rep', objects: { [name]: { read: true, create: true, edit: true } } });
    await engine.validationRules.create(systemActor, name, {
      name: 'only_admins_win',
      condition: { or: [{ '!=': [{ var: 'stage' }, 'won'] }, { '!': [{ in: [roleName, { var: '$user.roles' }] }] }] },
      message: 'Reps cannot mark deals won',
      fields: ['stage'],
    });
    const rep = await engine.users.create(systemActor, { name: 'Rep', roles: [roleName] });
    await expectCrmError(engine.records.create(userActor(rep.id), name, { title: 'R', stage: 'won' }), 'rule_violation');
    await engine.records.create(systemActor, name, { title: 'S', stage: 'won' });
    const repDeal = await engine.records.create(userActor(rep.id), name, { title: 'R', stage: 'new' });
    await expectCrmError(engine.records.update(userActor(rep.id), name, repDeal.id as string, { stage: 'won' }), 'rule_violation');
  });

  it('counts a rule that throws while running as failing, without breaking the write pipeline', async () => {
    const { engine } = harness();
    // json-logic-js's `*` with no arguments throws; it is only reached for lost deals.
    const name = await deals({ name: 'throws_when_lost', condition: { or: [{ '!=': [{ var: 'stage' }, 'lost'] }, { '*': [] }] }, message: 'Broken rule', fields: [] });
    const error = await expectCrmError(engine.records.create(systemActor, name, { title: 'A', stage: 'lost' }), 'rule_violation');
    expect(ruleFields(error)).toEqual([{ path: '', code: 'rule:throws_when_lost' }]);
    await engine.records.create(systemActor, name, { title: 'B', stage: 'new' });
  });

  it('ignores inactive rules, and applies them again once activated', async () => {
    const { engine } = harness();
    const name = await deals({ ...LOST_NEEDS_REASON, active: false });
    await engine.records.create(systemActor, name, { title: 'A', stage: 'lost' });
    const { revision } = await engine.validationRules.update(systemActor, name, LOST_NEEDS_REASON.name, { active: null });
    expect((await engine.metadata(systemActor)).revision).toBe(revision);
    expect(await engine.validationRules.get(systemActor, name, LOST_NEEDS_REASON.name)).not.toHaveProperty('active');
    await expectCrmError(engine.records.create(systemActor, name, { title: 'B', stage: 'lost' }), 'rule_violation');
    await engine.validationRules.update(systemActor, name, LOST_NEEDS_REASON.name, { active: false });
    await engine.records.create(systemActor, name, { title: 'B', stage: 'lost' });
  });

  it('fails only the breaking rows of a bulk write, and writes nothing with all_or_nothing', async () => {
    const { engine } = harness();
    const name = await deals(LOST_NEEDS_REASON, WON_IS_FINAL);
    const result = await engine.records.bulk(systemActor, name, {
      operation: 'create',
      records: [{ title: 'A', stage: 'won' }, { title: 'B', stage: 'lost' }, { title: 'C', stage: 'lost', loss_reason: 'price' }],
    });
    expect(result.results.map((r) => r.status)).toEqual(['created', 'failed', 'created']);
    expect(result.results[1]!.error!.code).toBe('rule_violation');
    expect(ruleFields(result.results[1]!.error)).toEqual([{ path: 'loss_reason', code: 'rule:lost_needs_reason' }]);
    expect(await count(name)).toBe(2);

    const won = result.results[0]!.id!;
    const updates = await engine.records.bulk(systemActor, name, {
      operation: 'update',
      records: [{ id: won, stage: 'new' }, { id: result.results[2]!.id!, amount: '5' }],
    });
    expect(updates.results.map((r) => r.status)).toEqual(['failed', 'updated']);
    expect(ruleFields(updates.results[0]!.error)).toEqual([{ path: 'stage', code: 'rule:won_is_final' }]);

    const upserts = await engine.records.bulk(systemActor, name, {
      operation: 'upsert',
      upsert_field: 'title',
      records: [{ title: 'A', stage: 'lost' }, { title: 'D', stage: 'lost', loss_reason: 'x' }],
    });
    expect(upserts.results.map((r) => r.status)).toEqual(['failed', 'created']);
    expect(ruleFields(upserts.results[0]!.error)).toEqual([
      { path: 'loss_reason', code: 'rule:lost_needs_reason' },
      { path: 'stage', code: 'rule:won_is_final' },
    ]);

    const atomic = await engine.records.bulk(systemActor, name, {
      operation: 'create',
      all_or_nothing: true,
      records: [{ title: 'E', stage: 'new' }, { title: 'F', stage: 'lost' }],
    });
    expect(atomic.committed).toBe(false);
    expect(atomic.results.map((r) => r.status)).toEqual(['rolled_back', 'failed']);
    expect(await count(name)).toBe(3);
  });

  it('keeps the single-statement update for objects without active rules', async () => {
    const { engine } = harness();
    const name = await deals({ ...LOST_NEEDS_REASON, active: false });
    const plain = (await engine.metadata(systemActor)).object(name);
    expect(plain.activeValidationRules).toHaveLength(0);
    expect(planUpdate(plain, { title: 'x' }).kind).toBe('single');
    await engine.validationRules.update(systemActor, name, LOST_NEEDS_REASON.name, { active: true });
    const ruled = (await engine.metadata(systemActor)).object(name);
    expect(ruled.activeValidationRules.map((r) => r.name)).toEqual([LOST_NEEDS_REASON.name]);
    expect(planUpdate(ruled, { title: 'x' }).kind).toBe('locked');
  });
});

describe('validation rule documents', () => {
  it('are listed, read, changed and deleted as metadata, each change a new revision', async () => {
    const { engine } = harness();
    const name = await deals();
    const before = (await engine.metadata(systemActor)).revision;
    const created = await engine.validationRules.create(systemActor, name, { ...LOST_NEEDS_REASON, fields: undefined, label: { en: 'Lost reason', 'zh-CN': '输单原因' } });
    expect(created.revision).toBe(before + 1);
    expect(created.fields).toEqual([]);
    await engine.validationRules.create(systemActor, name, WON_NEEDS_CLOSE_DATE);
    expect((await engine.validationRules.list(systemActor, name)).map((r) => r.name)).toEqual(['lost_needs_reason', 'won_needs_close_date']);
    await expectCrmError(engine.validationRules.create(systemActor, name, WON_NEEDS_CLOSE_DATE), 'name_taken');
    const renamed = await engine.validationRules.update(systemActor, name, 'won_needs_close_date', { name: 'won_has_date', description: 'Finance needs it' });
    expect(renamed).toMatchObject({ name: 'won_has_date', description: 'Finance needs it', fields: ['close_date'] });
    await expectCrmError(engine.validationRules.get(systemActor, name, 'won_needs_close_date'), 'validation_rule_not_found');
    await engine.validationRules.delete(systemActor, name, 'won_has_date');
    await expectCrmError(engine.validationRules.delete(systemActor, name, 'won_has_date'), 'validation_rule_not_found');
    await engine.records.create(systemActor, name, { title: 'A', stage: 'won' });
    await expectCrmError(engine.validationRules.list(systemActor, uniqueName('ghost')), 'object_not_found');
  });

  it('refuses documents with unknown fields, operations or variables, or a bad shape, and stores nothing', async () => {
    const { engine } = harness();
    const name = await deals();
    const cases: [unknown, string][] = [
      [{ ...LOST_NEEDS_REASON, fields: ['loss_reason', 'ghost'] }, 'fields/1'],
      [{ ...LOST_NEEDS_REASON, fields: ['stage', 'stage'] }, 'fields/1'],
      [{ ...LOST_NEEDS_REASON, condition: { regex: [{ var: 'title' }, 'x'] } }, 'condition'],
      [{ ...LOST_NEEDS_REASON, condition: { log: 1 } }, 'condition'],
      [{ ...LOST_NEEDS_REASON, condition: { '==': [{ var: 'ghost' }, 1] } }, 'condition'],
      [{ ...LOST_NEEDS_REASON, condition: { '==': [{ var: '$old.ghost' }, 1] } }, 'condition'],
      [{ ...LOST_NEEDS_REASON, condition: { '==': [{ var: '$old' }, null] } }, 'condition'],
      [{ ...LOST_NEEDS_REASON, condition: { '==': [{ var: '$nobody' }, 1] } }, 'condition'],
      [{ ...LOST_NEEDS_REASON, condition: { '==': [{ var: { cat: ['st', 'age'] } }, 1] } }, 'condition'],
      [{ ...LOST_NEEDS_REASON, message: undefined }, 'message'],
      [{ ...LOST_NEEDS_REASON, message: { fr: 'non' } }, 'message'],
      [{ ...LOST_NEEDS_REASON, severity: 'high' }, 'severity'],
      [{ ...LOST_NEEDS_REASON, active: 'yes' }, 'active'],
    ];
    for (const [document, path] of cases) {
      const error = await expectCrmError(engine.validationRules.create(systemActor, name, document), 'metadata_invalid');
      expect(error.fields.some((f) => f.path.startsWith(path)), `${JSON.stringify(document)} -> ${JSON.stringify(error.fields)}`).toBe(true);
    }
    await expectCrmError(engine.validationRules.create(systemActor, name, { ...LOST_NEEDS_REASON, name: 'Bad Name' }), 'invalid_api_name');
    await expectCrmError(engine.validationRules.create(systemActor, name, [LOST_NEEDS_REASON]), 'metadata_invalid');
    await engine.validationRules.create(systemActor, name, LOST_NEEDS_REASON);
    await expectCrmError(engine.validationRules.update(systemActor, name, LOST_NEEDS_REASON.name, { condition: { '==': [{ var: 'ghost' }, 1] } }), 'metadata_invalid');
    expect(await engine.validationRules.list(systemActor, name)).toEqual([LOST_NEEDS_REASON]);
  });

  it('follow a renamed field (fields, condition and $old), lose a deleted pointed-at field, and block deleting a field they read', async () => {
    const { engine } = harness();
    const name = await deals(WON_IS_FINAL, {
      name: 'reason_or_date',
      condition: { or: [{ '!!': [{ var: 'loss_reason' }] }, { '!!': [{ var: 'close_date' }] }] },
      message: 'Say why or when',
      fields: ['loss_reason', 'title'],
    });
    await engine.fields.update(systemActor, name, 'stage', { name: 'phase' });
    expect(await engine.validationRules.get(systemActor, name, 'won_is_final')).toEqual({
      ...WON_IS_FINAL,
      condition: { or: [{ '!=': [{ var: '$old.phase' }, 'won'] }, { '==': [{ var: 'phase' }, 'won'] }] },
      fields: ['phase'],
    });
    const deal = await engine.records.create(systemActor, name, { title: 'A', phase: 'won', close_date: '2026-01-01' });
    await expectCrmError(engine.records.update(systemActor, name, deal.id as string, { phase: 'new' }), 'rule_violation');

    await engine.fields.delete(systemActor, name, 'title');
    expect((await engine.validationRules.get(systemActor, name, 'reason_or_date')).fields).toEqual(['loss_reason']);
    const blocked = await expectCrmError(engine.fields.delete(systemActor, name, 'close_date'), 'dependency_exists');
    expect(blocked.message).toContain('reason_or_date');
    expect(blocked.fields.map((f) => f.path)).toContain(`objects/${name}/validation_rules/reason_or_date/condition/or/1/!!/0/var`);
    // A field a rule both points at and reads: the read blocks the delete, a rename is followed everywhere.
    await expectCrmError(engine.fields.delete(systemActor, name, 'loss_reason'), 'dependency_exists');
    await engine.fields.update(systemActor, name, 'loss_reason', { name: 'reason' });
    expect(await engine.validationRules.get(systemActor, name, 'reason_or_date')).toMatchObject({
      fields: ['reason'],
      condition: { or: [{ '!!': [{ var: 'reason' }] }, { '!!': [{ var: 'close_date' }] }] },
    });
  });

  it('are changed by administrators only, and read by whoever may use the object, without hidden fields', async () => {
    const { engine } = harness();
    // Reads only visible fields, but points at the hidden one too.
    const closeDate = { name: 'close_date_set', condition: { '!!': [{ var: 'close_date' }] }, message: 'Needs a close date', fields: ['close_date', 'loss_reason'] };
    const name = await deals(LOST_NEEDS_REASON, closeDate);
    const roleName = uniqueName('viewer');
    await engine.roles.create(systemActor, { name: roleName, label: 'Viewer', objects: { [name]: { read: true, fields: { loss_reason: 'hidden' } } } });
    const viewer = await engine.users.create(systemActor, { name: 'Viewer', roles: [roleName] });
    const nobody = await engine.users.create(systemActor, { name: 'Nobody', roles: [] });
    const actor = userActor(viewer.id);
    await expectCrmError(engine.validationRules.create(actor, name, WON_IS_FINAL), 'forbidden');
    await expectCrmError(engine.validationRules.update(actor, name, LOST_NEEDS_REASON.name, { active: false }), 'forbidden');
    await expectCrmError(engine.validationRules.delete(actor, name, LOST_NEEDS_REASON.name), 'forbidden');
    // A rule whose condition reads a hidden field is not shown at all; one merely pointing at it loses that field.
    await expectCrmError(engine.validationRules.get(actor, name, LOST_NEEDS_REASON.name), 'validation_rule_not_found');
    expect(await engine.validationRules.list(actor, name)).toEqual([{ ...closeDate, fields: ['close_date'] }]);
    await expectCrmError(engine.validationRules.list(userActor(nobody.id), name), 'object_not_found');
    expect(await engine.validationRules.list(systemActor, name)).toEqual([closeDate, LOST_NEEDS_REASON]);
  });
});

describe('a failing write leaves no trace', () => {
  it('rolls back autonumbers and rollups of a refused create', async () => {
    const { engine } = harness();
    const parent = uniqueName('acct');
    await engine.objects.create(systemActor, { name: parent, label: 'Account', fields: [{ name: 'name', type: 'text', label: 'Name' }] });
    const child = uniqueName('deal');
    await engine.objects.create(systemActor, {
      name: child,
      label: 'Deal',
      fields: [
        { name: 'number', type: 'autonumber', label: 'No', pattern: 'D-{000}' },
        { name: 'account', type: 'master_detail', label: 'Account', target: parent },
        { name: 'amount', type: 'integer', label: 'Amount' },
      ],
    });
    await engine.fields.create(systemActor, parent, { name: 'total', type: 'rollup', label: 'Total', child_object: child, relationship_field: 'account', aggregate: 'sum', aggregate_field: 'amount' });
    await engine.validationRules.create(systemActor, child, { name: 'small', condition: { '<': [{ var: 'amount' }, 100] }, message: 'Too big', fields: ['amount'] });
    const account = await engine.records.create(systemActor, parent, { name: 'Acme' });
    await engine.records.create(systemActor, child, { account: account.id, amount: 10 });
    const error = await engine.records.create(systemActor, child, { account: account.id, amount: 1000 }).catch((e: unknown) => e);
    expect(isCrmError(error, 'rule_violation')).toBe(true);
    const next = await engine.records.create(systemActor, child, { account: account.id, amount: 20 });
    expect(next.number).toBe('D-002');
    expect(Number((await engine.records.get(systemActor, parent, account.id as string)).total)).toBe(30);
  });
});

describe('validation rules in templates', () => {
  it('installs the sales template rules after its fields, with sample data that satisfies them', async () => {
    const { engine } = harness();
    const report = await installTemplate(engine, systemActor, readTemplate('sales'), { sampleData: true });
    expect(report).toMatchObject({ validation_rules: 2, records: 20 });
    expect((await engine.validationRules.list(systemActor, 'opportunity')).map((r) => r.name)).toEqual(['lost_needs_reason', 'won_needs_close_date']);
    const account = (await engine.records.list(systemActor, 'account', { limit: 1 })).data[0]!;
    const error = await expectCrmError(engine.records.create(systemActor, 'opportunity', { title: 'Gone', account: account.id, stage: 'lost' }), 'rule_violation');
    expect(error.toBody('zh-CN').error.fields).toEqual([{ path: 'loss_reason', code: 'rule:lost_needs_reason', message: '输单的商机须选择输单原因', field: 'loss_reason', label: '输单原因' }]);
    const open = await engine.records.create(systemActor, 'opportunity', { title: 'Open', account: account.id, stage: 'proposal' });
    await expectCrmError(engine.records.update(systemActor, 'opportunity', open.id as string, { stage: 'won' }), 'rule_violation');
    await engine.records.update(systemActor, 'opportunity', open.id as string, { stage: 'won', close_date: '2026-11-30' });
  });

  it('refuses a template rule that reads an unknown field, like any other rule', async () => {
    const { engine } = harness();
    const object = uniqueName('ticket');
    const template = (condition: unknown) => ({
      name: 'desk',
      version: '1.0.0',
      label: 'Desk',
      objects: [{ name: object, label: 'Ticket', fields: [{ name: 'subject', type: 'text', label: 'Subject' }] }],
      validation_rules: [{ object, name: 'has_subject', condition, message: 'Say what it is about', fields: ['subject'] }],
    });
    const bad = await expectCrmError(installTemplate(engine, systemActor, template({ '!!': [{ var: 'topic' }] })), 'metadata_invalid');
    expect(bad.fields.map((f) => f.path)).toEqual(['condition/!!/0/var']);
    // The install is one transaction: the object created before the rule was refused is gone with it.
    await expectCrmError(engine.validationRules.list(systemActor, object), 'object_not_found');
  });
});
