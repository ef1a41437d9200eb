import { useVirtualizer } from '@tanstack/react-virtual';
import { useRef } from 'react';
import { useTranslation } from 'react-i18next';
import { DisplayView } from '../../fields/FieldValue';
import { displayText, formatValue, type DisplayValue } from '../../fields/display/format-value';
import { LoadingMore, useLoadMore, windowRect, type RecordRowsProps } from './RecordTable';

/** A card is one button: links inside it would be buttons within a button, so they show as text. */
function asPlain(display: DisplayValue): DisplayValue {
  return display.kind === 'link' || display.kind === 'reference' ? { kind: 'text', text: display.text } : display;
}

/**
 * The phone list: one card per record (its title and three more fields), virtualised like the
 * table, whole card a 44 px+ touch target, nothing wider than the screen.
 */
export function RecordCards(props: RecordRowsProps) {
  const { t } = useTranslation();
  const { object, columns, rows, context, selected, onSelect, selectable } = props;
  const scroller = useRef<HTMLDivElement>(null);
  const virtualizer = useVirtualizer({ count: rows.length, getScrollElement: () => scroller.current, estimateSize: () => 112, overscan: 6, initialRect: windowRect() });
  const items = virtualizer.getVirtualItems();
  useLoadMore(items.at(-1)?.index, rows.length, props.onNearEnd);
  const titleColumn = columns.find((c) => c.name === object.title_field) ?? columns[0];
  const others = columns.filter((c) => c !== titleColumn).slice(0, 3);

  return (
    <div className="record-cards" ref={scroller} role="list" aria-label={t('list.table')}>
      <div style={{ height: virtualizer.getTotalSize(), position: 'relative' }}>
        {items.map((item) => {
          const row = rows[item.index]!;
          const title = titleColumn ? displayText(formatValue(titleColumn.descriptor, row[titleColumn.name], context)) : '';
          return (
            <div key={row.id} role="listitem" data-index={item.index} ref={virtualizer.measureElement} style={{ position: 'absolute', top: 0, left: 0, right: 0, transform: `translateY(${item.start}px)` }}>
              <div className={`record-card${selected.has(row.id) ? ' is-selected' : ''}`} data-record-id={row.id}>
                {selectable && (
                  <label className="record-card__check" onClick={(e) => e.stopPropagation()}>
                    <input type="checkbox" className="record-check" checked={selected.has(row.id)} onChange={(e) => onSelect([row.id], e.target.checked)} aria-label={t('list.selectRow')} />
                  </label>
                )}
                <button type="button" className="record-card__body" onClick={() => props.onOpen(row)}>
                  <span className="record-card__title">{title || t('list.untitled')}</span>
                  {others.map((column) => (
                    <span key={column.name} className="record-card__field">
                      <span className="record-card__label">{column.label}</span>
                      <span className="record-card__value">
                        <DisplayView display={asPlain(formatValue(column.descriptor, row[column.name], context))} />
                      </span>
                    </span>
                  ))}
                </button>
              </div>
            </div>
          );
        })}
      </div>
      {props.loadingMore && <LoadingMore />}
    </div>
  );
}
