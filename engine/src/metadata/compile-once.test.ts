import { describe, expect, it } from 'vitest';
import { systemActor } from '../actors';
import { DOCUMENT_KINDS } from '../document-kinds';
import { fieldKind } from '../fields/field-kind';
import { FieldService } from '../fields/field-service';
import { AccessResolver } from '../security/access-resolver';
import { Administration } from '../security/administration';
import { countingCompilers, uniqueName, useTestEngine } from '../testing';
import { MetadataCache } from './cache';
import { MetadataChangeRunner } from './change-runner';
import type { CompiledField } from './compiled';
import { DocumentKinds, type DocumentKind } from './document-kind';
import type { FieldDefinition } from './types';

/**
 * "The whole metadata is compiled once per change": the whole-graph check and the revision the
 * change installs share one compilation of the fields, and rules and record validators compiled
 * for an earlier revision are reused when their text did not change.
 */

const counting = countingCompilers();
const harness = useTestEngine({ compilers: counting.compilers });

const fieldsOf = (defs: object[]) => defs as FieldDefinition[];

/** An object with a formula, a default, a validation rule and a conditional workflow, and one record. */
async function busyObject(prefix: string): Promise<string> {
  const { engine } = harness();
  const name = uniqueName(prefix);
  await engine.objects.create(systemActor, {
    name,
    label: 'Busy',
    fields: fieldsOf([
      { name: 'title', type: 'text', label: 'Title' },
      { name: 'amount', type: 'decimal', label: 'Amount', scale: 2 },
      { name: 'qty', type: 'integer', label: 'Qty', default: { '+': [1, 1] } },
      { name: 'total', type: 'formula', label: 'Total', result_type: 'number', expression: { '*': [{ var: 'amount' }, { var: 'qty' }] } },
    ]),
  });
  await engine.validationRules.create(systemActor, name, { name: 'positive', condition: { '>=': [{ var: 'amount' }, 0] }, message: 'Not negative', fields: ['amount'] });
  await engine.workflows.create(systemActor, name, {
    name: 'stamp',
    trigger: { type: 'record', events: ['created'], condition: { '>': [{ var: 'amount' }, 100] } },
    actions: [{ type: 'update_record', values: { title: 'big' } }],
  });
  await engine.records.create(systemActor, name, { title: 'x', amount: 5 });
  return name;
}

describe('a metadata change compiles the metadata once', () => {
  it('compiles no rule and no validator again that it did not change', async () => {
    const { engine } = harness();
    const changed = await busyObject('once_a');
    const other = await busyObject('once_b');
    counting.reset();

    await engine.fields.create(systemActor, changed, { name: 'note', type: 'text', label: 'Note' });
    // Before: every formula, default, validation rule and workflow condition of the workspace again.
    expect(counting.rules).toEqual([]);
    expect(counting.schemas).toEqual([]);

    // A record's validator is compiled for the object whose input changed, and only for it.
    await engine.records.create(systemActor, changed, { title: 'y', note: 'n' });
    await engine.records.create(systemActor, other, { title: 'y' });
    expect(counting.schemas).toHaveLength(1);
    expect(JSON.stringify(counting.schemas[0])).toContain('"note"');
    counting.reset();

    // A changed formula is compiled once, and nothing else is.
    const expression = { '+': [{ var: 'amount' }, { var: 'qty' }] };
    await engine.fields.update(systemActor, changed, 'total', { expression });
    expect(counting.rules).toEqual([{ rule: expression, mode: 'value' }]);
    const created = await engine.records.create(systemActor, changed, { amount: 2, qty: 3 });
    expect((await engine.records.get(systemActor, changed, String(created.id))).total).toBe(5);
  });

  it('compiles nothing for a dry run and installs nothing', async () => {
    const { engine } = harness();
    const name = await busyObject('once_dry');
    const before = await engine.metadata(systemActor);
    counting.reset();
    const report = await engine.planChange(() =>
      engine.fields.create(systemActor, name, { name: 'ratio', type: 'formula', label: 'Ratio', result_type: 'number', expression: { '/': [{ var: 'amount' }, 3] } }),
    );
    expect(report.valid).toBe(true);
    expect(counting.rules).toEqual([]);
    expect(await engine.metadata(systemActor)).toBe(before);
    expect(before.object(name).fieldsByName.has('ratio')).toBe(false);
  });

  it('checks the whole graph on the very fields the new revision is built on', async () => {
    const { engine } = harness();
    const name = await busyObject('once_fields');
    // The engine's kinds, with the fields' check noting what it was given.
    const checked = new Map<string, ReadonlyMap<string, CompiledField>>();
    const notingFieldKind: DocumentKind = {
      ...fieldKind,
      check(context) {
        checked.set(context.object.definition.name, context.fields);
        fieldKind.check!(context);
      },
    };
    const kinds = new DocumentKinds(DOCUMENT_KINDS.all().map((k) => (k.kind === 'field' ? notingFieldKind : k)));
    const cache = new MetadataCache(engine.database.db, kinds);
    await cache.current();
    const fields = new FieldService(new MetadataChangeRunner(engine.database, cache), cache, new Administration(cache, new AccessResolver(engine.database.db)));

    const { revision } = await fields.create(systemActor, name, { name: 'extra', type: 'text', label: 'Extra' });
    const installed = await cache.current();
    expect(installed.revision).toBe(revision);
    expect(checked.size).toBe(installed.objects().length);
    for (const object of installed.objects()) {
      const seen = checked.get(object.name)!;
      expect(seen.size).toBe(object.fields.length);
      // The same compiled fields, not equal copies: compiled once for both.
      for (const field of object.fields) expect(seen.get(field.name)).toBe(field);
    }
    expect(installed.object(name).fieldsByName.has('extra')).toBe(true);

    // A refused change checks the metadata before it too (to tell its own issues from older
    // ones): on the fields of the revision this process already holds, not compiled again.
    checked.clear();
    const refused = fields.create(systemActor, name, { name: 'broken', type: 'formula', label: 'Broken', result_type: 'number', expression: { '+': [{ var: 'nope' }, 1] } });
    await expect(refused).rejects.toMatchObject({ code: 'metadata_invalid' });
    for (const object of installed.objects()) {
      for (const field of object.fields) expect(checked.get(object.name)!.get(field.name)).toBe(field);
    }
  });
});
