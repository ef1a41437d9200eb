import type { ClientField, KanbanView } from '@crm/engine/core';
import { describe, expect, it } from 'vitest';
import { columnFilter, firstFilledColumn, sortParam } from './board-model';
import { formatTotal } from './board-totals';

const view: KanbanView = { name: 'funnel', type: 'kanban', group_by: 'stage', card_fields: ['title'] };

describe('a board from its view', () => {
  it('reads a column as the view filter and the column value', () => {
    expect(columnFilter(view, 'won')).toEqual({ '==': [{ var: 'stage' }, 'won'] });
    const filtered = { ...view, filter: { '>': [{ var: 'amount' }, 5] } };
    expect(columnFilter(filtered, 'won')).toEqual({ and: [{ '>': [{ var: 'amount' }, 5] }, { '==': [{ var: 'stage' }, 'won'] }] });
  });

  it('sorts as the view says, newest first without a sort', () => {
    expect(sortParam(view)).toBe('-created_at');
    expect(sortParam({ ...view, sort: [{ field: 'amount', direction: 'desc' }, { field: 'title' }] })).toBe('-amount,title');
  });

  it('writes column totals compactly per locale and currency', () => {
    const amount = { name: 'amount', type: 'currency', currency_code: 'CNY' } as unknown as ClientField;
    expect(formatTotal('1480000.00', amount, 'zh-CN')).toBe('¥148万');
    expect(formatTotal('1480000.00', amount, 'en')).toBe('CN¥1.5M');
    expect(formatTotal(null, amount, 'en')).toBe('CN¥0');
  });
});

describe('firstFilledColumn', () => {
  const columns = [{ value: 'qualify' }, { value: 'needs' }, { value: 'won' }];
  it('is the first column with cards, in the board order', () => {
    expect(firstFilledColumn(columns, new Map([['won', { count: 3 }], ['needs', { count: 1 }], ['qualify', { count: 0 }]]))).toBe('needs');
    expect(firstFilledColumn(columns, new Map([[null, { count: 5 }]]))).toBeUndefined();
    expect(firstFilledColumn(columns, new Map())).toBeUndefined();
  });
});
