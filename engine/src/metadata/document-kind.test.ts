import { describe, expect, it } from 'vitest';
import { DOCUMENT_KINDS } from '../document-kinds';
import { reason } from '../errors';
import { dependencyError } from './dependencies';
import { DocumentKinds, type DocumentKind } from './document-kind';
import { fieldRenameUpdates, fieldDisplayRemovals, objectRenameUpdates } from './references';
import type { MetadataSnapshot, StoredObject } from './snapshot';
import { validateGraph } from './validate-graph';

/**
 * The DocumentKind registry is how metadata/ learns of kinds of documents without importing them:
 * a kind plugged in here is checked, renamed and reported like the built-in ones.
 */

/** A kind of document kept in the object's `views` for this test: notes that point at fields. */
interface Note {
  readonly name: string;
  readonly about: string;
}

const notes = (object: StoredObject) => (object as unknown as { views: { id: string; definition: Note }[] }).views;

const noteKind: DocumentKind = {
  kind: 'view',
  plural: 'notes',
  schema: { type: 'object' },
  storage: { table: 'crm_meta.views', key: 'views', order: 'name' },
  check(context) {
    for (const { definition } of notes(context.object)) {
      if (!context.fields.has(definition.about)) context.report(definition.name, 'about', reason('not_a_field_of_named', { name: definition.about, object: context.object.definition.name }));
    }
  },
  renameField: (snapshot, objectName, from, to) =>
    snapshot.objects
      .filter((o) => o.definition.name === objectName)
      .flatMap((o) => notes(o).filter((n) => n.definition.about === from).map((n) => ({ kind: 'view' as const, id: n.id, definition: { ...n.definition, about: to } }))),
  renameObject: (snapshot, from, to) => (snapshot.objects.some((o) => o.definition.name === from) ? [{ kind: 'view', id: `renamed-${to}`, definition: { name: 'x' } }] : []),
  removeField: (snapshot, objectName, field) =>
    snapshot.objects
      .filter((o) => o.definition.name === objectName)
      .flatMap((o) => notes(o).filter((n) => n.definition.about === field).map((n) => ({ kind: 'view' as const, id: n.id, definition: { name: n.definition.name } }))),
  usages: [[/^about$/, 'points_at']],
};

function snapshotWith(about: string): MetadataSnapshot {
  const object = {
    id: 'o1',
    tableName: 'deal',
    deletedAt: null,
    definition: { name: 'deal', label: 'Deal' },
    fields: [{ id: 'f1', position: 0, definition: { name: 'amount', type: 'integer', label: 'Amount' } }],
    views: [{ id: 'n1', definition: { name: 'remember', about } }],
  };
  return { revision: 1, roles: [], departments: [], objects: [object as unknown as StoredObject] };
}

describe('the document kind registry', () => {
  it('refuses a kind registered twice, and two kinds storing their documents under one key', () => {
    expect(() => new DocumentKinds([noteKind, noteKind])).toThrow(/registered twice/);
    expect(() => new DocumentKinds([noteKind, { ...noteKind, kind: 'layout' }])).toThrow(/"views"/);
  });

  it('runs a plugged-in kind in the whole-graph check, naming its documents', () => {
    const kinds = new DocumentKinds([noteKind]);
    expect(validateGraph(snapshotWith('amount'), kinds)).toEqual([]);
    expect(validateGraph(snapshotWith('missing'), kinds)).toEqual([
      { object: 'deal', kind: 'view', name: 'remember', path: 'about', reason: reason('not_a_field_of_named', { name: 'missing', object: 'deal' }) },
    ]);
    // Without the kind, metadata/ knows nothing of those documents.
    expect(validateGraph(snapshotWith('missing'), new DocumentKinds([]))).toEqual([]);
  });

  it('follows renames and cleans up removals through every kind', () => {
    const kinds = new DocumentKinds([noteKind]);
    const snapshot = snapshotWith('amount');
    expect(fieldRenameUpdates(snapshot, kinds, 'deal', 'amount', 'value')).toEqual([
      { kind: 'view', id: 'n1', definition: { name: 'remember', about: 'value' } },
    ]);
    expect(fieldRenameUpdates(snapshot, kinds, 'deal', 'other', 'value')).toEqual([]);
    expect(objectRenameUpdates(snapshot, kinds, 'deal', 'sale')).toEqual([{ kind: 'view', id: 'renamed-sale', definition: { name: 'x' } }]);
    expect(fieldDisplayRemovals(snapshot, kinds, 'deal', 'amount')).toEqual([{ kind: 'view', id: 'n1', definition: { name: 'remember' } }]);
  });

  it("names a kind's documents in dependency_exists by what its usages say they do", () => {
    const kinds = new DocumentKinds([noteKind]);
    const before = snapshotWith('amount');
    const after = { ...before, objects: [{ ...before.objects[0]!, fields: [] }] };
    const issues = validateGraph(after, kinds);
    const error = dependencyError({ object: 'deal', kind: 'field', name: 'amount', action: 'delete' }, issues, { before, after }, (i) => `objects/deal/notes/${i.name}`, kinds);
    expect(error.code).toBe('dependency_exists');
    expect(error.fields).toEqual([expect.objectContaining({ path: 'objects/deal/notes/remember', code: 'used_by' })]);
    expect(JSON.stringify(error.fields[0]!.params)).toContain('points its message at Amount');
  });

  it("lists the engine's kinds once each, fields first, each with a schema", () => {
    const names = DOCUMENT_KINDS.all().map((k) => k.kind);
    expect(names).toEqual(['field', 'layout', 'view', 'validation_rule', 'approval_process', 'workflow']);
    expect(new Set(DOCUMENT_KINDS.stored().map((k) => k.storage.key)).size).toBe(5);
    for (const kind of DOCUMENT_KINDS.all()) expect(kind.schema).toBeTypeOf('object');
  });
});
