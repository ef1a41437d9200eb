import { describe, expect, it } from 'vitest';
import { assignSlots, inSlotOrder } from './row-slots';

describe('assignSlots', () => {
  it('keeps the slot of a row that stays and gives a leaving row slot to a coming one', () => {
    const first = assignSlots(new Map(), ['a', 'b', 'c']);
    expect([...first]).toEqual([['a', 0], ['b', 1], ['c', 2]]);
    const next = assignSlots(first, ['b', 'c', 'd']);
    expect([...next].sort()).toEqual([['b', 1], ['c', 2], ['d', 0]]);
    expect(new Set(next.values()).size).toBe(3);
  });

  it('uses new slots only when more rows are in view than before', () => {
    const next = assignSlots(new Map([['a', 0]]), ['a', 'b', 'c']);
    expect([...next.values()].sort()).toEqual([0, 1, 2]);
  });
});

describe('inSlotOrder', () => {
  it('orders the rows in view by slot, so a scroll reuses rows without moving them', () => {
    const slots = assignSlots(assignSlots(new Map(), ['a', 'b', 'c']), ['b', 'c', 'd']);
    expect(inSlotOrder(['b', 'c', 'd'], (id) => slots.get(id)!)).toEqual(['d', 'b', 'c']);
  });
});
