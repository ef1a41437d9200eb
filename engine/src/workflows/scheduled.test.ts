import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { systemActor } from '../actors';
import { createEngine, type Engine } from '../engine';
import { createTestDatabase, waitFor, type TestDatabase } from '../testing';

/** Scheduled workflows run through the job queue, so this file runs the worker (polling fast). */
let engine: Engine;
let database: TestDatabase;

beforeAll(async () => {
  database = await createTestDatabase();
  engine = await createEngine({ ...database.options, jobs: { pollIntervalMs: 25, backoff: { baseMs: 50, maxMs: 200 } } });
  await engine.objects.create(systemActor, {
    name: 'contract',
    label: 'Contract',
    fields: [
      { name: 'title', type: 'text', label: 'Title' },
      { name: 'status', type: 'select', label: 'Status', options: ['draft', 'signed', 'lost', 'new', 'stale'].map((value) => ({ value, label: value })) },
      { name: 'ends_at', type: 'datetime', label: 'Ends at' },
      { name: 'notes', type: 'text', label: 'Notes' },
    ],
  });
  await engine.jobs.start();
});
afterAll(async () => {
  await engine?.close();
  await database?.drop();
});

const inMs = (ms: number) => new Date(Date.now() + ms).toISOString();
const plans = async () => (await sql<{ record_id: string; generation: number }>`select record_id, generation from crm_meta.workflow_schedules`.execute(engine.database.db)).rows;

describe('date-relative workflows', () => {
  it('runs once at the planned time, re-planned when the date changes and dropped when the condition stops holding', async () => {
    await engine.workflows.create(systemActor, 'contract', {
      name: 'before_end',
      // 0 minutes before: the tests use instants a second or two away.
      trigger: { type: 'date', field: 'ends_at', offset: 0, unit: 'minutes', condition: { '!=': [{ var: 'status' }, 'lost'] } },
      actions: [{ type: 'update_record', values: { notes: { cat: [{ if: [{ var: 'notes' }, { var: 'notes' }, ''] }, 'reminded;'] } } }],
    });
    const moved = await engine.records.create(systemActor, 'contract', { title: 'Moved', status: 'signed', ends_at: inMs(2500) });
    expect(await plans()).toEqual([{ record_id: moved.id, generation: 1 }]);
    // Moved earlier: a new plan (generation 2); the first job will find itself stale.
    await engine.records.update(systemActor, 'contract', moved.id as string, { ends_at: inMs(800) });
    expect(await plans()).toEqual([{ record_id: moved.id, generation: 2 }]);
    // Changing something else keeps the plan as it is.
    await engine.records.update(systemActor, 'contract', moved.id as string, { title: 'Moved again' });
    expect(await plans()).toEqual([{ record_id: moved.id, generation: 2 }]);

    const dropped = await engine.records.create(systemActor, 'contract', { title: 'Dropped', status: 'signed', ends_at: inMs(1000) });
    await engine.records.update(systemActor, 'contract', dropped.id as string, { status: 'lost' });
    const deleted = await engine.records.create(systemActor, 'contract', { title: 'Deleted', status: 'signed', ends_at: inMs(1000) });
    await engine.records.delete(systemActor, 'contract', deleted.id as string);
    expect((await plans()).map((p) => p.record_id)).toEqual([moved.id]);

    await waitFor(async () => (await engine.records.get(systemActor, 'contract', moved.id as string)).notes === 'reminded;');
    // Both jobs ran by the time the first planned instant passed: one ran the workflow, the stale one did nothing.
    const jobs = await waitFor(async () => {
      const list = (await engine.jobs.list(systemActor, { task: 'workflow_date', state: 'done' })).filter((j) => j.payload.record_id === moved.id);
      return list.length >= 2 && list;
    });
    expect(jobs.map((j) => (j.output as { outcome: string }).outcome).sort()).toEqual(['ran', 'skipped']);
    expect((await engine.records.get(systemActor, 'contract', moved.id as string)).notes).toBe('reminded;');
    expect((await engine.records.get(systemActor, 'contract', dropped.id as string)).notes).toBeNull();
    const runs = await engine.workflowRuns.list(systemActor, { workflow: 'before_end' });
    expect(runs).toMatchObject([{ trigger: 'date', record_id: moved.id, outcome: 'completed', depth: 0 }]);
    expect(await plans()).toEqual([]);
    await engine.workflows.delete(systemActor, 'contract', 'before_end');
  });

  it('runs at once for a record whose moment passed less than a day ago, and never for one further past', async () => {
    await engine.workflows.create(systemActor, 'contract', {
      name: 'late_reminder',
      trigger: { type: 'date', field: 'ends_at', offset: -1, unit: 'hours' },
      actions: [{ type: 'update_record', values: { notes: 'late reminder' } }],
    });
    const recent = await engine.records.create(systemActor, 'contract', { title: 'An hour late', status: 'signed', ends_at: inMs(0) });
    const old = await engine.records.create(systemActor, 'contract', { title: 'Two days late', status: 'signed', ends_at: inMs(-2 * 86_400_000) });
    await waitFor(async () => (await engine.records.get(systemActor, 'contract', recent.id as string)).notes === 'late reminder');
    expect(await plans()).toEqual([]);
    const runs = await engine.workflowRuns.list(systemActor, { workflow: 'late_reminder' });
    expect(runs.map((r) => r.record_id)).toEqual([recent.id]);
    expect((await engine.records.get(systemActor, 'contract', old.id as string)).notes).toBeNull();
    await engine.workflows.delete(systemActor, 'contract', 'late_reminder');
  });
});

describe('cron workflows', () => {
  it('runs at every tick for the records its filter selects, once per tick, until it is deactivated', async () => {
    const fresh = await engine.records.create(systemActor, 'contract', { title: 'Fresh lead', status: 'new' });
    const signed = await engine.records.create(systemActor, 'contract', { title: 'Signed', status: 'signed' });
    await new Promise((r) => setTimeout(r, 1200));
    const later = await engine.records.create(systemActor, 'contract', { title: 'Too recent', status: 'new' });
    await engine.workflows.create(systemActor, 'contract', {
      name: 'back_to_pool',
      // Every second (six fields: seconds first); "no activity for a while" is older_than on updated_at.
      trigger: { type: 'schedule', cron: '* * * * * *', filter: { '==': [{ var: 'status' }, 'new'] }, older_than: { field: 'updated_at', days: 1 / 86_400 } },
      actions: [{ type: 'update_record', values: { status: 'stale', notes: 'back to the pool' } }],
    });
    await waitFor(async () => (await engine.records.get(systemActor, 'contract', fresh.id as string)).status === 'stale');
    expect((await engine.records.get(systemActor, 'contract', signed.id as string)).status).toBe('signed');
    // The recent one matches a tick or two later, once it too is older than a second.
    await waitFor(async () => (await engine.records.get(systemActor, 'contract', later.id as string)).status === 'stale');
    await engine.workflows.update(systemActor, 'contract', 'back_to_pool', { active: false });
    const runs = await engine.workflowRuns.list(systemActor, { workflow: 'back_to_pool' });
    // Each record ran once: after its run it no longer matches.
    expect(runs.map((r) => r.record_id).sort()).toEqual([fresh.id, later.id].sort());
    expect(runs.every((r) => r.trigger === 'schedule' && r.outcome === 'completed')).toBe(true);
    // Ticks are keyed by time: no tick was queued twice.
    const ticks = await engine.jobs.list(systemActor, { task: 'workflow_cron', limit: 500 });
    expect(new Set(ticks.map((t) => t.key)).size).toBe(ticks.length);
  });
});
