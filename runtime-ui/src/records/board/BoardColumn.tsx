import type { ClientObject, SelectOption } from '@crm/engine/core';
import { useDroppable } from '@dnd-kit/core';
import { useVirtualizer } from '@tanstack/react-virtual';
import { Button, Empty, Spin } from 'antd';
import { useEffect, useMemo, useRef } from 'react';
import { useTranslation } from 'react-i18next';
import { useApprovalStates } from '../../approvals/approval-states';
import type { UiLocale } from '../../i18n/i18n';
import { textOf } from '../../metadata/labels';
import type { RecordData } from '../record-api';
import { BoardCard } from './BoardCard';
import type { BoardModel } from './board-model';
import { useColumnCards, type GroupTotal } from './board-queries';
import { formatTotal } from './board-totals';

interface ColumnProps {
  readonly object: ClientObject;
  readonly model: BoardModel;
  readonly option: SelectOption;
  readonly total: GroupTotal | undefined;
  readonly movable: boolean;
  readonly onMove: (card: RecordData, from: string, to: string) => void;
}

/**
 * One column: its header (label, count, sum), then its cards, virtualised (only the cards in
 * view are in the DOM) and loaded a keyset page at a time as the column scrolls, so a column of
 * thousands stays as light as one of ten.
 */
export function BoardColumn({ object, model, option, total, movable, onMove }: ColumnProps) {
  const { t, i18n } = useTranslation();
  const locale = i18n.language as UiLocale;
  const label = textOf(option.label, locale, option.value);
  const { setNodeRef, isOver } = useDroppable({ id: option.value, data: { column: option.value } });
  const cards = useColumnCards(object.name, model, option.value);
  const rows = useMemo(() => cards.data?.pages.flatMap((p) => p.data) ?? [], [cards.data]);
  // Which cards await approval, so a refused move is no surprise (one request per column).
  const ids = useMemo(() => rows.map((r) => r.id), [rows]);
  const approvals = useApprovalStates(object, ids).data;
  const scroller = useRef<HTMLDivElement>(null);
  const virtualizer = useVirtualizer({ count: rows.length, getScrollElement: () => scroller.current, estimateSize: () => 132, overscan: 6, getItemKey: (i) => rows[i]!.id });
  const items = virtualizer.getVirtualItems();
  const lastIndex = items[items.length - 1]?.index ?? -1;
  const { hasNextPage, isFetchingNextPage, fetchNextPage } = cards;
  useEffect(() => {
    if (hasNextPage && !isFetchingNextPage && lastIndex >= rows.length - 4) void fetchNextPage();
  }, [lastIndex, rows.length, hasNextPage, isFetchingNextPage, fetchNextPage]);

  const count = total?.count ?? 0;
  return (
    <section ref={setNodeRef} data-column={option.value} className={`board-column${isOver ? ' board-column--over' : ''}`} aria-label={t('board.columnLabel', { label, count })}>
      <header className="board-column__header" style={option.color ? { borderTopColor: option.color } : undefined}>
        <span className="board-column__title">{label}</span>
        <span className="board-column__count" aria-label={t('board.count', { count })}>
          {count}
        </span>
        {model.sumField && (
          <span className="board-column__sum" title={textOf(model.sumField.label, locale, model.sumField.name)}>
            {formatTotal(total?.sum ?? null, model.sumField, locale)}
          </span>
        )}
      </header>
      <div ref={scroller} className="board-column__cards">
        {cards.isPending ? (
          <Spin className="board-column__loading" />
        ) : cards.isError ? (
          <div className="board-column__error">
            {cards.error.message} <Button onClick={() => void cards.refetch()}>{t('board.retry')}</Button>
          </div>
        ) : rows.length === 0 ? (
          <Empty image={Empty.PRESENTED_IMAGE_SIMPLE} description={t('board.empty')} />
        ) : (
          <div style={{ height: virtualizer.getTotalSize(), position: 'relative' }}>
            {items.map((item) => (
              <div key={item.key} data-index={item.index} ref={virtualizer.measureElement} className="board-column__slot" style={{ transform: `translateY(${item.start}px)` }}>
                <BoardCard object={object} model={model} card={rows[item.index]!} column={option.value} movable={movable} pending={approvals?.get(rows[item.index]!.id)?.pending === true} onMove={onMove} />
              </div>
            ))}
          </div>
        )}
        {isFetchingNextPage && <Spin size="small" className="board-column__more" />}
      </div>
    </section>
  );
}
