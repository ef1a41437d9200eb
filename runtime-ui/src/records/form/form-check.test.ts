import { describe, expect, it } from 'vitest';
import { changedFields, formInput, placeIssues, prefilledValues, ruleContextOf } from './form-check';

describe('what a form sends', () => {
  const writable = new Set(['title', 'amount', 'stage', 'tags']);

  it('creates with every value set, and null for a default the user cleared', () => {
    const initial = { title: null, amount: null, stage: 'new', tags: null };
    expect(formInput({ title: 'Deal', amount: '10.50', stage: 'new', tags: [], hidden: 'x' }, writable, initial, false)).toEqual({ title: 'Deal', amount: '10.50', stage: 'new' });
    expect(formInput({ title: '', amount: null, stage: null, tags: null }, writable, initial, false)).toEqual({ stage: null });
  });

  it('edits with only the changed fields (empty text is null)', () => {
    const initial = { title: 'Deal', amount: '10.50', stage: 'new', tags: ['a'] };
    expect(formInput({ ...initial }, writable, initial, true)).toEqual({});
    expect(formInput({ ...initial, title: '', tags: ['a', 'b'] }, writable, initial, true)).toEqual({ title: null, tags: ['a', 'b'] });
    expect(changedFields({ ...initial, amount: '11' }, initial)).toEqual(['amount']);
    expect(changedFields({ ...initial, title: 'Deal', stage: 'new' }, { ...initial })).toEqual([]);
  });
});

describe('where issues show', () => {
  it('puts issues under shown fields and the rest at the top, once each', () => {
    const placed = placeIssues(
      [
        { path: 'amount', code: 'type', message: 'Amount must be a number', field: 'amount' },
        { path: '', code: 'rule:whole', message: 'The deal is incomplete' },
        { path: 'secret', code: 'required', message: 'Secret is required', field: 'secret' },
        { path: 'amount', code: 'rule:positive', message: 'Must be positive', field: 'amount' },
        { path: 'reason', code: 'rule:whole', message: 'The deal is incomplete' },
      ],
      new Set(['amount']),
    );
    expect(placed.byField).toEqual({ amount: ['Amount must be a number', 'Must be positive'] });
    expect(placed.general).toEqual(['The deal is incomplete', 'Secret is required']);
  });

  it('gives rules the user, department, roles and time the server would', () => {
    const now = new Date('2025-05-01T00:00:00Z');
    const context = ruleContextOf({ user: { id: 'u1', name: 'U', email: null, locale: 'en', admin: false, roles: [{ name: 'rep', label: 'Rep' }], department: { id: 'd1', name: 'D' } } }, now);
    expect(context).toEqual({ user: { id: 'u1', departmentId: 'd1', roles: ['rep'] }, now });
  });
});

describe('starting values from the link', () => {
  it('takes only fields the user may write, never system, read-only or unknown ones', () => {
    const fields = [
      { name: 'id', system: true, mode: 'read_only' },
      { name: 'owner_id', system: true, mode: 'editable' },
      { name: 'account', system: false, mode: 'editable' },
      { name: 'number', system: false, mode: 'read_only' },
      { name: 'title', system: false, mode: 'editable' },
    ] as unknown as Parameters<typeof prefilledValues>[0]['fields'];
    const params = new URLSearchParams('account=0190&number=X-1&owner_id=u2&secret=s&title=');
    expect(prefilledValues({ fields }, params)).toEqual({ account: '0190' });
  });
});
