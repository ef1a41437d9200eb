import { describe, expect, it } from 'vitest';
import { systemActor, userActor } from '../actors';
import type { FieldDefinition } from './types';
import { expectCrmError, uniqueName, useTestEngine } from '../testing';

const harness = useTestEngine();

/** An object whose text field `v` holds the given values (one record each). */
async function objectWith(values: (string | null)[]): Promise<string> {
  const { engine } = harness();
  const name = uniqueName('plan');
  await engine.objects.create(systemActor, { name, label: 'Plan', fields: [{ name: 'v', type: 'text', label: 'V' } as FieldDefinition] });
  for (const v of values) await engine.records.create(systemActor, name, { v });
  return name;
}

describe('a metadata change as a plan (dry run)', () => {
  it('adds a field: one catalogue-only column, no rewrite, and nothing is written', async () => {
    const { engine } = harness();
    const name = await objectWith(['a', 'b']);
    const revision = (await engine.metadata(systemActor)).revision;
    const report = await engine.planChange(() => engine.fields.create(systemActor, name, { name: 'note', type: 'text', label: 'Note' }));
    expect(report).toEqual({ valid: true, revision, operations: [{ op: 'add_column', table: name, column: 'note', rewrites: false }] });
    expect((await engine.metadata(systemActor)).revision).toBe(revision);
    await expectCrmError(engine.fields.get(systemActor, name, 'note'), 'field_not_found');
    // The column was added inside the rolled-back transaction only: the real change still works.
    await engine.fields.create(systemActor, name, { name: 'note', type: 'text', label: 'Note' });
    expect((await engine.records.list(systemActor, name, { fields: ['note'] })).data).toHaveLength(2);
  });

  it('says which indexes are built over how many rows, without building them', async () => {
    const { engine } = harness();
    const name = await objectWith(['a', 'b', 'c']);
    const report = await engine.planChange(() => engine.fields.create(systemActor, name, { name: 'code', type: 'text', label: 'Code', unique: true, indexed: true }));
    expect(report.valid).toBe(true);
    expect(report.operations.map((o) => [o.op, o.rows])).toEqual([
      ['add_column', undefined],
      ['create_index', 3],
      ['create_index', 3],
      ['create_unique_index', 3],
    ]);
    // The field's own index and the owner-first one (schema-sync/field-schema.ts), then uniqueness.
    expect(report.operations[1]!.index).toMatch(/^ix_/);
    expect(report.operations[2]!.index).toMatch(/^oix_/);
    expect(report.operations.every((o) => o.rewrites === false)).toBe(true);
  });

  it('a type change that would lose data: the conversion, its rows and how many cannot convert', async () => {
    const { engine } = harness();
    const name = await objectWith(['12', '7', 'twelve', 'x', null]);
    const refused = await engine.planChange(() => engine.fields.update(systemActor, name, 'v', { type: 'integer' }));
    expect(refused.valid).toBe(false);
    expect(refused.error?.code).toBe('type_change_refused');
    expect(refused.operations).toContainEqual(
      expect.objectContaining({ op: 'convert_column', table: name, column: 'v', rewrites: true, rows: 5, failing_rows: 2, from: 'text (text)', to: 'integer (bigint)' }),
    );
    // Nothing changed: the same values, still text.
    expect(await engine.fields.get(systemActor, name, 'v')).toMatchObject({ type: 'text' });
    expect((await engine.records.list(systemActor, name, { fields: ['v'], sort: 'created_at' })).data.map((r) => r.v)).toEqual(['12', '7', 'twelve', 'x', null]);

    const accepted = await engine.planChange(() => engine.fields.update(systemActor, name, 'v', { type: 'integer' }, { convert: 'null_invalid' }));
    expect(accepted.valid).toBe(true);
    expect(accepted.operations.map((o) => [o.op, o.rows, o.rewrites])).toEqual([
      ['update_rows', 2, false],
      ['convert_column', 5, true],
    ]);
    expect(await engine.fields.get(systemActor, name, 'v')).toMatchObject({ type: 'text' });
  });

  it('renames, drops and computes: every operation of the change, in order', async () => {
    const { engine } = harness();
    const parent = await objectWith(['p']);
    const child = uniqueName('child');
    await engine.objects.create(systemActor, {
      name: child,
      label: 'Child',
      fields: [{ name: 'parent', type: 'lookup', target: parent, label: 'Parent' } as FieldDefinition, { name: 'amount', type: 'integer', label: 'Amount' } as FieldDefinition],
    });
    const rollup = await engine.planChange(() =>
      engine.fields.create(systemActor, parent, { name: 'total', type: 'rollup', label: 'Total', child_object: child, relationship_field: 'parent', aggregate: 'sum', aggregate_field: 'amount' }),
    );
    expect(rollup.operations.map((o) => o.op)).toEqual(['add_column', 'backfill_rollup']);
    expect(rollup.operations[1]).toMatchObject({ rows: 1, column: 'total' });

    const rename = await engine.planChange(() => engine.fields.update(systemActor, parent, 'v', { name: 'w' }));
    expect(rename.operations).toEqual([{ op: 'rename_column', table: parent, column: 'v', rewrites: false }]);

    const drop = await engine.planChange(() => engine.fields.delete(systemActor, child, 'amount'));
    expect(drop.operations).toEqual([{ op: 'drop_column', table: child, column: 'amount', rewrites: false, rows: 0 }]);

    const created = uniqueName('fresh');
    const table = await engine.planChange(() => engine.objects.create(systemActor, { name: created, label: 'Fresh', fields: [{ name: 'title', type: 'text', label: 'Title', unique: true } as FieldDefinition] }));
    expect(table.operations.map((o) => [o.op, o.rows])).toEqual([
      ['create_table', undefined],
      ['add_column', undefined],
      ['create_unique_index', 0],
    ]);
    await expectCrmError(engine.objects.get(systemActor, created), 'object_not_found');
  });

  it('refusals become the verdict; who may not change metadata still gets the error', async () => {
    const { engine } = harness();
    const name = await objectWith([]);
    const graph = await engine.planChange(() =>
      engine.fields.create(systemActor, name, { name: 'twice', type: 'formula', label: 'Twice', result_type: 'number', expression: { '*': [{ var: 'ghost' }, 2] } }),
    );
    expect(graph).toMatchObject({ valid: false, operations: [] });
    expect(graph.error?.code).toBe('metadata_invalid');
    const bad = await engine.planChange(() => engine.fields.create(systemActor, name, { name: 'Bad Name', type: 'text', label: 'X' }));
    expect(bad.valid).toBe(false);
    const clerk = userActor((await engine.users.create(systemActor, { name: 'Clerk' })).id);
    await expectCrmError(engine.planChange(() => engine.fields.create(clerk, name, { name: 'x', type: 'text', label: 'X' })), 'forbidden');
    await expect(engine.planChange(async () => undefined)).rejects.toThrow('made no metadata change');
  });
});
