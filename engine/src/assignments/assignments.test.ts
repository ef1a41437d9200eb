import { describe, expect, it } from 'vitest';
import { compileField } from '../core/input-object';
import { systemFieldDefinitions } from '../core/system-fields';
import type { CompiledField } from '../core/compiled';
import type { FieldDefinition } from '../documents/types';
import type { ReasonData } from '../errors';
import { isLiteral } from '../rules/literal';
import { checkAssignments, evaluateAssignments, mapAssignedRules, renameAssignedField, type FieldAssignments } from '.';

const DEFINITIONS: FieldDefinition[] = [
  { name: 'title', type: 'text', label: 'Title', required: true },
  { name: 'score', type: 'integer', label: 'Score' },
  { name: 'stage', type: 'select', label: 'Stage', options: [{ value: 'open', label: 'Open' }, { value: 'won', label: 'Won' }] },
  { name: 'tags', type: 'multiselect', label: 'Tags', options: [{ value: 'a', label: 'A' }, { value: 'b', label: 'B' }] },
  { name: 'locked', type: 'text', label: 'Locked', read_only: true },
  { name: 'double', type: 'formula', label: 'Double', expression: { '*': [{ var: 'score' }, 2] }, result_type: 'number' },
];

const NO_OTHER_OBJECTS = { field: () => undefined };
const FIELDS: ReadonlyMap<string, CompiledField> = new Map(
  [...systemFieldDefinitions('deal').map((d) => compileField(d, null, true, NO_OTHER_OBJECTS)), ...DEFINITIONS.map((d) => compileField(d, 'id', false, NO_OTHER_OBJECTS))].map((f) => [f.name, f]),
);

/** The shared check's reports, as [path, English reason], and the rules it handed to the caller. */
function check(assignments: FieldAssignments, options: { objectName?: string; fields?: ReadonlyMap<string, CompiledField> | null } = {}) {
  const reports: [string, string][] = [];
  const rules: [string, unknown][] = [];
  checkAssignments(assignments, {
    at: 'on_approve',
    fields: options.fields === null ? undefined : (options.fields ?? FIELDS),
    ...(options.objectName !== undefined ? { objectName: options.objectName } : {}),
    report: (path, why: ReasonData) => reports.push([path, String(why)]),
    checkRule: (path, rule) => rules.push([path, rule]),
  });
  return { reports, rules };
}

describe('checkAssignments', () => {
  it('accepts constants the fields take and hands every rule to the caller, with its path', () => {
    const rule = { cat: [{ var: 'title' }, '!'] };
    const { reports, rules } = check({ title: rule, score: 3, stage: 'won', tags: ['a', 'b'], owner_id: '00000000-0000-4000-8000-000000000001' });
    expect(reports).toEqual([]);
    expect(rules).toEqual([['on_approve/title', rule]]);
    // A field that cannot be written is refused before its rule is looked at.
    expect(check({ locked: { var: 'title' } })).toEqual({ reports: [['on_approve/locked', '"locked" cannot be written (read-only)']], rules: [] });
  });

  it('refuses a constant the field would refuse, normalised like a default, naming its path', () => {
    const { reports, rules } = check({ score: 'abc', stage: 'nope', tags: ['a', 'z'] });
    expect(reports).toEqual([
      ['on_approve/score', '"abc" is not a whole number'],
      ['on_approve/stage', '"nope" is not one of the options'],
      ['on_approve/tags', '["a","z"] is not a list of options'],
    ]);
    expect(rules).toEqual([]);
  });

  it('refuses emptying a required field with a constant; an optional one may be emptied', () => {
    expect(check({ title: null, score: null }).reports).toEqual([['on_approve/title', '"title" is required and cannot be emptied']]);
  });

  it('says why a field cannot be written: a system field, read-only, or a computed type', () => {
    expect(check({ created_at: '2020-01-01T00:00:00Z', locked: 'x', double: 2 }).reports).toEqual([
      ['on_approve/created_at', '"created_at" cannot be written (a system field)'],
      ['on_approve/locked', '"locked" cannot be written (read-only)'],
      ['on_approve/double', '"double" cannot be written (a formula field)'],
    ]);
  });

  it('names the written object of a field it does not have, or "this object" when none is named', () => {
    expect(check({ ghost: 1 }).reports).toEqual([['on_approve/ghost', '"ghost" is not a field of this object']]);
    expect(check({ ghost: { var: 'title' } }, { objectName: 'task' }).reports).toEqual([['on_approve/ghost', '"ghost" is not a field of task']]);
    // The written object is gone: every name is unknown, and no rule is checked.
    const gone = check({ title: { var: 'title' } }, { objectName: 'task', fields: null });
    expect(gone).toEqual({ reports: [['on_approve/title', '"title" is not a field of task']], rules: [] });
  });

  it('takes JSON without an operation as a constant', () => {
    expect([null, 1, 'x', true, [], ['a', 2, [null]]].every(isLiteral)).toBe(true);
    expect([{ var: 'x' }, [1, { var: 'x' }], {}].some(isLiteral)).toBe(false);
  });
});

describe('evaluateAssignments', () => {
  it('evaluates each rule on the source record, a rule without a result emptying its field', () => {
    const data = { title: 'Acme', score: 4 };
    expect(evaluateAssignments({ title: { cat: [{ var: 'title' }, '!'] }, score: { '+': [{ var: 'score' }, 1] }, stage: 'won', locked: { var: 'missing' } }, data)).toEqual({
      title: 'Acme!',
      score: 5,
      stage: 'won',
      locked: null,
    });
    expect(data).toEqual({ title: 'Acme', score: 4 });
  });

  it('throws for a rule that does not compile', () => {
    expect(() => evaluateAssignments({ title: { log: 'x' } }, {})).toThrow();
  });
});

describe('renames', () => {
  it('renames a written field in the keys, and rewrites rules without touching keys', () => {
    const assignments = { notes: { var: 'notes' }, title: 'x' };
    expect(renameAssignedField(assignments, 'notes', 'remarks')).toEqual({ remarks: { var: 'notes' }, title: 'x' });
    expect(mapAssignedRules(assignments, (rule) => (typeof rule === 'string' ? rule.toUpperCase() : rule))).toEqual({ notes: { var: 'notes' }, title: 'X' });
  });
});
