import { describe, expect, it } from 'vitest';
import { systemActor } from '../actors';
import { expectCrmError, uniqueName, useTestEngine } from '../testing';

const harness = useTestEngine();

describe('autonumbers', () => {
  it('number records gap-free under concurrency, and a failed create gives its number back', async () => {
    const { engine } = harness();
    const name = uniqueName('opp');
    await engine.objects.create(systemActor, {
      name,
      label: 'Opportunity',
      fields: [
        { name: 'number', type: 'autonumber', label: 'No.', pattern: 'OPP-{0000}' },
        { name: 'code', type: 'text', label: 'Code', unique: true },
      ],
    });
    const created = await Promise.all(Array.from({ length: 30 }, (_, i) => engine.records.create(systemActor, name, { code: `c${i}` })));
    const numbers = created.map((r) => r.number as string).sort();
    expect(numbers).toEqual(Array.from({ length: 30 }, (_, i) => `OPP-${String(i + 1).padStart(4, '0')}`));
    await expectCrmError(engine.records.create(systemActor, name, { code: 'c0' }), 'unique_violation');
    const next = await engine.records.create(systemActor, name, { code: 'fresh' });
    expect(next.number).toBe('OPP-0031');
    await expectCrmError(engine.records.create(systemActor, name, { number: 'OPP-9999' }), 'validation_failed');
  });

  it('numbers existing records in creation order when the field is added later', async () => {
    const { engine } = harness();
    const name = uniqueName('ticket');
    await engine.objects.create(systemActor, { name, label: 'Ticket', fields: [{ name: 'title', type: 'text', label: 'T' }] });
    for (const title of ['first', 'second', 'third']) await engine.records.create(systemActor, name, { title });
    await engine.fields.create(systemActor, name, { name: 'ref', type: 'autonumber', label: 'Ref', pattern: 'T{00}', start_at: 99 });
    const rows = await engine.records.list(systemActor, name, { sort: 'created_at' });
    expect(rows.data.map((r) => [r.title, r.ref])).toEqual([
      ['first', 'T99'],
      ['second', 'T100'],
      ['third', 'T101'],
    ]);
    expect((await engine.records.create(systemActor, name, { title: 'fourth' })).ref).toBe('T102');
  });
});
