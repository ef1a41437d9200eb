import { describe, expect, it } from 'vitest';
import { systemActor } from '../actors';
import { expectCrmError, uniqueName, useTestEngine } from '../testing';

const harness = useTestEngine();

describe('idempotent creates', () => {
  it('return the first result for a retry, concurrent or not, and never a second record', async () => {
    const { engine } = harness();
    const name = uniqueName('payment');
    await engine.objects.create(systemActor, { name, label: 'Payment', fields: [{ name: 'amount', type: 'currency', label: 'A' }, { name: 'ref', type: 'autonumber', label: 'Ref', pattern: 'P{000}' }] });
    const idempotency = { key: 'retry-1', fingerprint: 'POST /x {"amount":"10"}' };
    const first = await engine.records.create(systemActor, name, { amount: '10' }, { idempotency });
    const again = await engine.records.create(systemActor, name, { amount: '10' }, { idempotency });
    expect(again).toEqual(first);
    const storm = await Promise.all(Array.from({ length: 10 }, () => engine.records.create(systemActor, name, { amount: '20' }, { idempotency: { key: 'storm', fingerprint: 'same' } })));
    expect(new Set(storm.map((r) => r.id)).size).toBe(1);
    expect((await engine.records.list(systemActor, name, { count: true })).total).toBe(2);
    // Gap-free numbering holds through the replays.
    expect((await engine.records.list(systemActor, name, { sort: 'ref' })).data.map((r) => r.ref)).toEqual(['P001', 'P002']);
    await expectCrmError(engine.records.create(systemActor, name, { amount: '99' }, { idempotency: { key: 'retry-1', fingerprint: 'POST /x {"amount":"99"}' } }), 'idempotency_key_reused');
  });

  it('does not keep a key whose write failed, so a corrected retry goes through', async () => {
    const { engine } = harness();
    const name = uniqueName('ticket');
    await engine.objects.create(systemActor, { name, label: 'Ticket', fields: [{ name: 'code', type: 'text', label: 'C', unique: true }] });
    await engine.records.create(systemActor, name, { code: 'taken' });
    await expectCrmError(engine.records.create(systemActor, name, { code: 'taken' }, { idempotency: { key: 'k', fingerprint: 'f' } }), 'unique_violation');
    await engine.records.delete(systemActor, name, (await engine.records.list(systemActor, name)).data[0]!.id as string);
    const created = await engine.records.create(systemActor, name, { code: 'taken' }, { idempotency: { key: 'k', fingerprint: 'f' } });
    expect(created.code).toBe('taken');
  });

  it('replays bulk results, errors included', async () => {
    const { engine } = harness();
    const name = uniqueName('lead');
    await engine.objects.create(systemActor, { name, label: 'Lead', fields: [{ name: 'email', type: 'email', label: 'E' }] });
    const request = { operation: 'create', records: [{ email: 'a@example.com' }, { email: 'bad' }] };
    const idempotency = { key: 'bulk-1', fingerprint: JSON.stringify(request) };
    const first = await engine.records.bulk(systemActor, name, request, { idempotency });
    const replay = await engine.records.bulk(systemActor, name, request, { idempotency });
    expect(replay.results.map((r) => r.status)).toEqual(['created', 'failed']);
    expect(replay.results[1]!.error!.toBody('zh-CN').error.fields[0]!.message).toBe('E 必须是有效的邮箱地址');
    expect(replay.results[0]!.id).toBe(first.results[0]!.id);
    expect((await engine.records.list(systemActor, name, { count: true })).total).toBe(1);
  });
});
