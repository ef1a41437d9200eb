import { describe, expect, it } from 'vitest';
import { systemActor } from '../actors';
import type { FieldDefinition } from '../metadata/types';
import { expectCrmError, uniqueName, useTestEngine } from '../testing';

const harness = useTestEngine();

/** An object with one field `v` of the given definition holding the given values. */
async function withValues(field: { type: FieldDefinition['type'] } & Record<string, unknown>, values: unknown[]): Promise<string> {
  const { engine } = harness();
  const name = uniqueName('conv');
  await engine.objects.create(systemActor, { name, label: 'Conv', fields: [{ name: 'v', label: 'V', ...field } as FieldDefinition, { name: 'n', type: 'integer', label: 'N' }] });
  for (const [i, value] of values.entries()) await engine.records.create(systemActor, name, { v: value, n: i });
  return name;
}

async function values(name: string): Promise<unknown[]> {
  const list = await harness().engine.records.list(systemActor, name, { sort: 'n', fields: ['v'] });
  return list.data.map((r) => r.v);
}

describe('changing a field type', () => {
  it('converts safely where nothing can be lost', async () => {
    const { engine } = harness();
    const text = await withValues({ type: 'text' }, ['a', 'b']);
    await engine.fields.update(systemActor, text, 'v', { type: 'textarea' });
    expect(await values(text)).toEqual(['a', 'b']);

    const integer = await withValues({ type: 'integer' }, [5, -3]);
    await engine.fields.update(systemActor, integer, 'v', { type: 'decimal', precision: 10, scale: 2 });
    expect(await values(integer)).toEqual(['5.00', '-3.00']);

    const select = await withValues({ type: 'select', options: [{ value: 'hot', label: 'Hot' }] }, ['hot', null]);
    await engine.fields.update(systemActor, select, 'v', { type: 'text', options: null });
    expect(await values(select)).toEqual(['hot', null]);
    await engine.records.create(systemActor, select, { v: 'anything now', n: 9 });

    const date = await withValues({ type: 'date' }, ['2024-02-29']);
    await engine.fields.update(systemActor, date, 'v', { type: 'datetime' });
    expect(await values(date)).toEqual(['2024-02-29T00:00:00.000Z']);

    const multi = await withValues({ type: 'select', options: [{ value: 'a', label: 'A' }, { value: 'b', label: 'B' }] }, ['b']);
    await engine.fields.update(systemActor, multi, 'v', { type: 'multiselect' });
    expect(await values(multi)).toEqual([['b']]);
  });

  it('refuses a conversion that would lose data, changing nothing, and names how many records', async () => {
    const { engine } = harness();
    const name = await withValues({ type: 'text' }, ['12', ' 7 ', 'twelve', null]);
    const revision = (await engine.metadata(systemActor)).revision;
    const error = await expectCrmError(engine.fields.update(systemActor, name, 'v', { type: 'integer' }), 'type_change_refused');
    expect(error.status).toBe(409);
    expect(error.message).toContain('1 record(s) are not whole numbers');
    expect(error.message).toContain('null_invalid');
    expect((await engine.metadata(systemActor)).revision).toBe(revision);
    expect(await engine.fields.get(systemActor, name, 'v')).toMatchObject({ type: 'text' });
    expect(await values(name)).toEqual(['12', '7', 'twelve', null]);

    await engine.fields.update(systemActor, name, 'v', { type: 'integer' }, { convert: 'null_invalid' });
    expect(await values(name)).toEqual([12, 7, null, null]);
  });

  it('rounds or truncates numbers only when asked', async () => {
    const { engine } = harness();
    const name = await withValues({ type: 'decimal', scale: 2 }, ['1.50', '2.49', '-3.00']);
    await expectCrmError(engine.fields.update(systemActor, name, 'v', { type: 'integer' }), 'type_change_refused');
    await engine.fields.update(systemActor, name, 'v', { type: 'integer' }, { convert: 'round' });
    expect(await values(name)).toEqual([2, 2, -3]);

    const scale = await withValues({ type: 'decimal', precision: 10, scale: 3 }, ['1.234', '5.5']);
    await expectCrmError(engine.fields.update(systemActor, scale, 'v', { scale: 1 }), 'type_change_refused');
    await engine.fields.update(systemActor, scale, 'v', { scale: 1 }, { convert: 'truncate' });
    expect(await values(scale)).toEqual(['1.2', '5.5']);
  });

  it('guards text length, select options and multi-values', async () => {
    const { engine } = harness();
    const short = await withValues({ type: 'text' }, ['abcdef', 'ab']);
    await expectCrmError(engine.fields.update(systemActor, short, 'v', { max_length: 3 }), 'type_change_refused');
    await engine.fields.update(systemActor, short, 'v', { max_length: 3 }, { convert: 'truncate' });
    expect(await values(short)).toEqual(['abc', 'ab']);

    const options = [{ value: 'a', label: 'A' }, { value: 'b', label: 'B' }];
    const select = await withValues({ type: 'select', options }, ['a', 'b']);
    const error = await expectCrmError(engine.fields.update(systemActor, select, 'v', { options: [options[0]] }), 'type_change_refused');
    expect(error.message).toContain('1 record(s)');
    // Retiring an option (active: false) keeps the data and is always allowed.
    await engine.fields.update(systemActor, select, 'v', { options: [options[0], { ...options[1], active: false }] });
    expect(await values(select)).toEqual(['a', 'b']);

    const multi = await withValues({ type: 'multiselect', options }, [['a', 'b'], ['b']]);
    await expectCrmError(engine.fields.update(systemActor, multi, 'v', { type: 'select' }), 'type_change_refused');
    await engine.fields.update(systemActor, multi, 'v', { type: 'select', max_selections: null }, { convert: 'first_value' });
    expect(await values(multi)).toEqual(['a', 'b']);
  });

  it('converts text to dates only where they parse', async () => {
    const { engine } = harness();
    const name = await withValues({ type: 'text' }, ['2024-01-31', '2024-02-30']);
    await expectCrmError(engine.fields.update(systemActor, name, 'v', { type: 'date' }), 'type_change_refused');
    await engine.fields.update(systemActor, name, 'v', { type: 'date' }, { convert: 'null_invalid' });
    expect(await values(name)).toEqual(['2024-01-31', null]);

    const stamps = await withValues({ type: 'datetime' }, ['2024-03-01T00:00:00Z', '2024-03-02T10:30:00Z']);
    await expectCrmError(engine.fields.update(systemActor, stamps, 'v', { type: 'date' }), 'type_change_refused');
    await engine.fields.update(systemActor, stamps, 'v', { type: 'date' }, { convert: 'truncate' });
    expect(await values(stamps)).toEqual(['2024-03-01', '2024-03-02']);
  });

  it('refuses conversions that have no meaning', async () => {
    const { engine } = harness();
    const name = await withValues({ type: 'text' }, ['x']);
    await expectCrmError(engine.fields.update(systemActor, name, 'v', { type: 'formula', expression: 1, result_type: 'number' }), 'type_change_refused');
    await expectCrmError(engine.fields.update(systemActor, name, 'v', { type: 'autonumber', pattern: 'A-{00}' }), 'type_change_refused');
    const flag = await withValues({ type: 'boolean' }, [true]);
    await expectCrmError(engine.fields.update(systemActor, flag, 'v', { type: 'date' }), 'type_change_refused');
    await expectCrmError(engine.fields.update(systemActor, name, 'v', { type: 'integer' }, { convert: 'explode' as never }), 'validation_failed');
  });
});
