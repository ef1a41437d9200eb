import { describe, expect, it } from 'vitest';
import { moveActive, resultGroups } from './search-results';

describe('global search results', () => {
  it('numbers hits across groups, leaving out objects without any', () => {
    const groups = resultGroups(
      [
        { object: 'account', hits: [{ id: 'a1', title: '华信科技' }, { id: 'a2', title: '华信电子' }] },
        { object: 'lead', hits: [] },
        { object: 'contact', hits: [{ id: 'c1', title: '李伟', subtitle: '华信科技' }] },
      ],
      (object) => object.toUpperCase(),
    );
    expect(groups.map((g) => [g.label, g.rows.map((r) => [r.hit.id, r.index])])).toEqual([
      ['ACCOUNT', [['a1', 0], ['a2', 1]]],
      ['CONTACT', [['c1', 2]]],
    ]);
  });

  it('moves the active row with the arrows, wrapping around', () => {
    expect(moveActive(-1, 3, 1)).toBe(0);
    expect(moveActive(-1, 3, -1)).toBe(2);
    expect(moveActive(2, 3, 1)).toBe(0);
    expect(moveActive(0, 3, -1)).toBe(2);
    expect(moveActive(0, 0, 1)).toBe(-1);
  });
});
