import { sql } from 'kysely';
import { describe, expect, it } from 'vitest';
import { systemActor } from '../actors';
import { expectCrmError, uniqueName, useTestEngine } from '../testing';

const harness = useTestEngine();

async function columns(table: string): Promise<Record<string, string>> {
  const result = await sql<{ column_name: string; udt_name: string }>`
    select column_name, udt_name from information_schema.columns where table_schema = 'crm_data' and table_name = ${table}`.execute(harness().engine.database.db);
  return Object.fromEntries(result.rows.map((r) => [r.column_name, r.udt_name]));
}

async function indexes(table: string): Promise<string[]> {
  const result = await sql<{ indexdef: string }>`select indexdef from pg_indexes where schemaname = 'crm_data' and tablename = ${table}`.execute(harness().engine.database.db);
  return result.rows.map((r) => r.indexdef);
}

async function objectWithRows(rows = 3): Promise<string> {
  const { engine } = harness();
  const name = uniqueName('obj');
  await engine.objects.create(systemActor, { name, label: 'Obj', fields: [{ name: 'title', type: 'text', label: 'Title' }] });
  for (let i = 0; i < rows; i++) await engine.records.create(systemActor, name, { title: `row ${i}` });
  return name;
}

describe('fields', () => {
  it('gives every field type a real, properly typed column', async () => {
    const { engine } = harness();
    const target = await objectWithRows(0);
    const name = uniqueName('typed');
    await engine.objects.create(systemActor, {
      name,
      label: 'Typed',
      fields: [
        { name: 'f_text', type: 'text', label: 'T' },
        { name: 'f_textarea', type: 'textarea', label: 'T' },
        { name: 'f_email', type: 'email', label: 'T' },
        { name: 'f_phone', type: 'phone', label: 'T' },
        { name: 'f_url', type: 'url', label: 'T' },
        { name: 'f_integer', type: 'integer', label: 'T' },
        { name: 'f_decimal', type: 'decimal', label: 'T', precision: 12, scale: 4 },
        { name: 'f_currency', type: 'currency', label: 'T', currency_code: 'CNY' },
        { name: 'f_percent', type: 'percent', label: 'T' },
        { name: 'f_boolean', type: 'boolean', label: 'T' },
        { name: 'f_date', type: 'date', label: 'T' },
        { name: 'f_datetime', type: 'datetime', label: 'T' },
        { name: 'f_select', type: 'select', label: 'T', options: [{ value: 'a', label: 'A' }] },
        { name: 'f_multi', type: 'multiselect', label: 'T', options: [{ value: 'a', label: 'A' }] },
        { name: 'f_lookup', type: 'lookup', label: 'T', target },
        { name: 'f_master', type: 'master_detail', label: 'T', target },
        { name: 'f_user', type: 'user', label: 'T' },
        { name: 'f_auto', type: 'autonumber', label: 'T', pattern: 'N-{000}' },
        { name: 'f_formula', type: 'formula', label: 'T', expression: { cat: [{ var: 'f_text' }, '!'] }, result_type: 'text' },
        { name: 'f_json', type: 'json', label: 'T' },
      ],
    });
    const cols = await columns(name);
    expect(cols).toMatchObject({
      f_text: 'text',
      f_textarea: 'text',
      f_email: 'text',
      f_integer: 'int8',
      f_decimal: 'numeric',
      f_currency: 'numeric',
      f_boolean: 'bool',
      f_date: 'date',
      f_datetime: 'timestamptz',
      f_select: 'text',
      f_multi: '_text',
      f_lookup: 'uuid',
      f_master: 'uuid',
      f_user: 'uuid',
      f_auto: 'text',
      f_json: 'jsonb',
    });
    expect(cols.f_formula).toBeUndefined();
    const fks = await sql<{ conname: string; confdeltype: string }>`
      select conname, confdeltype from pg_constraint where conrelid = ${`crm_data.${name}`}::regclass and contype = 'f'`.execute(engine.database.db);
    // lookup: set null (n), master-detail: cascade (c), user: set null; plus created_by, updated_by, owner_id (no action)
    expect(fks.rows.map((r) => r.confdeltype).sort()).toEqual(['a', 'a', 'a', 'c', 'n', 'n']);
  });

  it('adds a field to a table with data without touching the rows', async () => {
    const { engine } = harness();
    const name = await objectWithRows(5);
    const before = await sql<{ ctid: string }>`select ctid::text from ${sql.table(`crm_data.${name}`)} order by id`.execute(engine.database.db);
    await engine.fields.create(systemActor, name, { name: 'score', type: 'integer', label: 'Score' });
    const after = await sql<{ ctid: string }>`select ctid::text from ${sql.table(`crm_data.${name}`)} order by id`.execute(engine.database.db);
    // Same physical row positions: ADD COLUMN without a default did not rewrite the table.
    expect(after.rows).toEqual(before.rows);
    const list = await engine.records.list(systemActor, name);
    expect(list.data.every((r) => r.score === null)).toBe(true);
  });

  it('refuses bad field definitions with the offending property named', async () => {
    const { engine } = harness();
    const name = await objectWithRows(0);
    const cases: [unknown, string][] = [
      [{ name: 'x', type: 'colour', label: 'X' }, 'type'],
      [{ name: 'x', type: 'select', label: 'X' }, 'options'],
      [{ name: 'x', type: 'select', label: 'X', options: [{ value: 'a', label: 'A' }, { value: 'a', label: 'B' }] }, 'options/1/value'],
      [{ name: 'x', type: 'decimal', label: 'X', precision: 4, scale: 6 }, 'scale'],
      [{ name: 'x', type: 'text', label: 'X', pattern: '([a-z' }, 'pattern'],
      [{ name: 'x', type: 'text', label: 'X', max_length: 0 }, 'max_length'],
      [{ name: 'x', type: 'text', label: 'X', precision: 3 }, 'precision'],
      [{ name: 'x', type: 'autonumber', label: 'X', pattern: 'NO-NUMBER' }, 'pattern'],
      [{ name: 'x', type: 'lookup', label: 'X', target: 'missing_object' }, 'target'],
      [{ name: 'x', type: 'json', label: 'X', unique: true }, 'unique'],
      [{ name: 'x', type: 'integer', label: 'X', default: 'abc' }, 'default'],
      [{ name: 'x', type: 'formula', label: 'X', expression: { var: 'nope' }, result_type: 'text' }, 'expression'],
      [{ name: 'x', type: 'formula', label: 'X', expression: { explode: [1] }, result_type: 'text' }, 'expression'],
      [{ name: 'x', type: 'rollup', label: 'X', child_object: name, relationship_field: 'title', aggregate: 'count' }, 'relationship_field'],
    ];
    for (const [definition, path] of cases) {
      const error = await expectCrmError(engine.fields.create(systemActor, name, definition), 'metadata_invalid');
      expect(error.fields.map((f) => f.path).some((p) => p === path || p.startsWith(`${path}/`)), `${JSON.stringify(definition)} -> ${JSON.stringify(error.fields)}`).toBe(true);
    }
    for (const bad of ['Amount', 'id', 'owner_id', 'order', '9x']) {
      await expectCrmError(engine.fields.create(systemActor, name, { name: bad, type: 'text', label: 'X' }), 'invalid_api_name');
    }
    await expectCrmError(engine.fields.create(systemActor, name, { name: 'title', type: 'text', label: 'Again' }), 'name_taken');
    expect(Object.keys(await columns(name))).not.toContain('x');
  });

  it('renames a field on a table with data; formulas, layouts and views follow', async () => {
    const { engine } = harness();
    const name = await objectWithRows(2);
    await engine.fields.create(systemActor, name, { name: 'shout', type: 'formula', label: 'Shout', expression: { cat: [{ var: 'title' }, '!'] }, result_type: 'text' });
    await engine.layouts.create(systemActor, name, { name: 'main', type: 'form', sections: [{ columns: 2, fields: [{ field: 'title' }, { field: 'shout' }], visible_when: { '!!': { var: 'title' } } }] });
    await engine.views.create(systemActor, name, { name: 'all', type: 'list', columns: ['title'], filter: { '!=': [{ var: 'title' }, ''] }, sort: [{ field: 'title' }] });
    await engine.fields.update(systemActor, name, 'title', { name: 'headline', label: 'Headline' });
    expect(Object.keys(await columns(name))).toContain('headline');
    expect(Object.keys(await columns(name))).not.toContain('title');
    expect(await engine.fields.get(systemActor, name, 'shout')).toMatchObject({ expression: { cat: [{ var: 'headline' }, '!'] } });
    const layout = await engine.layouts.get(systemActor, name, 'main');
    expect(layout.sections[0]!.fields.map((f) => f.field)).toEqual(['headline', 'shout']);
    expect(layout.sections[0]!.visible_when).toEqual({ '!!': { var: 'headline' } });
    expect(await engine.views.get(systemActor, name, 'all')).toMatchObject({ columns: ['headline'], filter: { '!=': [{ var: 'headline' }, ''] }, sort: [{ field: 'headline' }] });
    const rows = await engine.records.list(systemActor, name, { sort: 'headline' });
    expect(rows.data.map((r) => [r.headline, r.shout])).toEqual([
      ['row 0', 'row 0!'],
      ['row 1', 'row 1!'],
    ]);
  });

  it('deletes a field with data, cleaning layouts and views that only show it', async () => {
    const { engine } = harness();
    const name = await objectWithRows(2);
    await engine.fields.create(systemActor, name, { name: 'note', type: 'text', label: 'Note' });
    await engine.layouts.create(systemActor, name, { name: 'main', type: 'form', sections: [{ columns: 1, fields: [{ field: 'title' }, { field: 'note' }] }] });
    await engine.views.create(systemActor, name, { name: 'all', type: 'list', columns: ['title', 'note'] });
    await engine.fields.delete(systemActor, name, 'note');
    expect(Object.keys(await columns(name))).not.toContain('note');
    expect((await engine.layouts.get(systemActor, name, 'main')).sections[0]!.fields).toEqual([{ field: 'title' }]);
    expect(await engine.views.get(systemActor, name, 'all')).toMatchObject({ columns: ['title'] });
    await expectCrmError(engine.fields.get(systemActor, name, 'note'), 'field_not_found');
    await expectCrmError(engine.fields.delete(systemActor, name, 'created_at'), 'metadata_invalid');
  });

  it('refuses to delete a field that a formula, a filter or a rollup computes with', async () => {
    const { engine } = harness();
    const name = await objectWithRows(1);
    await engine.fields.create(systemActor, name, { name: 'amount', type: 'decimal', label: 'Amount' });
    await engine.fields.create(systemActor, name, { name: 'double', type: 'formula', label: 'D', expression: { '*': [{ var: 'amount' }, 2] }, result_type: 'number' });
    await engine.views.create(systemActor, name, { name: 'big', type: 'list', columns: ['title'], filter: { '>': [{ var: 'amount' }, 100] } });
    const error = await expectCrmError(engine.fields.delete(systemActor, name, 'amount'), 'dependency_exists');
    expect(error.message).toBe('Cannot delete field `amount` (Amount): it is used by formula `double` (D), view `big`');
    expect(Object.keys(await columns(name))).toContain('amount');
  });

  it('creates and drops unique and regular indexes as the flags change', async () => {
    const { engine } = harness();
    const name = await objectWithRows(3);
    await engine.fields.update(systemActor, name, 'title', { unique: true, indexed: true });
    let defs = await indexes(name);
    expect(defs.some((d) => d.includes('UNIQUE') && d.includes('(title)') && d.includes('deleted_at IS NULL'))).toBe(true);
    expect(defs.filter((d) => d.includes('(title)'))).toHaveLength(2);
    // And the owner-first one, for "my records by title".
    expect(defs.filter((d) => d.includes('(owner_id, title)'))).toHaveLength(1);
    await engine.fields.update(systemActor, name, 'title', { unique: false, indexed: false });
    defs = await indexes(name);
    expect(defs.filter((d) => d.includes('(title)') || d.includes('(owner_id, title)'))).toHaveLength(0);
  });

  it('refuses to make a field unique while records share values', async () => {
    const { engine } = harness();
    const name = await objectWithRows(0);
    await engine.records.create(systemActor, name, { title: 'same' });
    await engine.records.create(systemActor, name, { title: 'same' });
    const error = await expectCrmError(engine.fields.update(systemActor, name, 'title', { unique: true }), 'metadata_invalid');
    expect(error.fields[0]!.path).toBe('unique');
    expect(error.message).toContain('"same" (2 records)');
    expect(await engine.fields.get(systemActor, name, 'title')).not.toHaveProperty('unique');
  });

  it('refuses formula cycles', async () => {
    const { engine } = harness();
    const name = await objectWithRows(0);
    await engine.fields.create(systemActor, name, { name: 'a', type: 'formula', label: 'A', expression: { var: 'title' }, result_type: 'text' });
    await engine.fields.create(systemActor, name, { name: 'b', type: 'formula', label: 'B', expression: { var: 'a' }, result_type: 'text' });
    const error = await expectCrmError(engine.fields.update(systemActor, name, 'a', { expression: { var: 'b' } }), 'metadata_invalid');
    expect(error.message).toContain('cycle');
  });

  it('rolls back a change whose DDL fails halfway: the rename done before the failing step is undone too', async () => {
    const { engine } = harness();
    const name = await objectWithRows(0);
    await engine.records.create(systemActor, name, { title: 'twin' });
    await engine.records.create(systemActor, name, { title: 'twin' });
    const revision = (await engine.metadata(systemActor)).revision;
    await expectCrmError(engine.fields.update(systemActor, name, 'title', { name: 'headline', unique: true }), 'metadata_invalid');
    expect(Object.keys(await columns(name))).toContain('title');
    expect(Object.keys(await columns(name))).not.toContain('headline');
    expect((await engine.metadata(systemActor)).revision).toBe(revision);
    expect((await engine.records.list(systemActor, name)).data.map((r) => r.title)).toEqual(['twin', 'twin']);
  });
});
