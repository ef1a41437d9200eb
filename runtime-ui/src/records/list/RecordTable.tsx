import { CaretDownOutlined, CaretUpOutlined } from '@ant-design/icons';
import { Checkbox, Spin } from 'antd';
import { useVirtualizer } from '@tanstack/react-virtual';
import { memo, useCallback, useEffect, useMemo, useRef, useState, type CSSProperties } from 'react';
import { useTranslation } from 'react-i18next';
import { useLatest } from '../../app/use-latest';
import { useNavigate } from 'react-router';
import type { ClientObject } from '@crm/engine/core';
import type { FormatContext } from '../../fields/display/format-value';
import type { RecordData } from '../record-api';
import { EditableCell, type EditingCell, type PendingConflict } from './EditableCell';
import type { ListColumn } from './list-columns';
import { sortDirection } from './list-state';
import { inSlotOrder, useRowSlots } from './row-slots';
import { focusCellEdit, rowElementId, tabAcrossRows } from './row-focus';
import { onRowsClick } from './row-clicks';

export interface RecordRowsProps {
  readonly object: ClientObject;
  readonly columns: readonly ListColumn[];
  readonly rows: readonly RecordData[];
  readonly context: FormatContext;
  readonly selected: ReadonlySet<string>;
  readonly onSelect: (ids: readonly string[], on: boolean) => void;
  readonly onOpen: (row: RecordData) => void;
  /** Asks for the next page when the last loaded rows come into view. */
  readonly onNearEnd: () => void;
  readonly loadingMore: boolean;
  readonly onSaved: (record: RecordData) => Promise<void> | void;
  readonly onConflict: (conflict: PendingConflict) => void;
  readonly selectable: boolean;
}

export interface RecordTableProps extends RecordRowsProps {
  readonly sort: string;
  readonly onSort: (field: string) => void;
}

export const ROW_HEIGHT = 44;
const CHECK_WIDTH = 48;
/**
 * Rows rendered beyond each edge of the view. A scroll renders the rows it brings into view (and
 * this many more) inside the scroll event, so what is painted is always complete; a small number
 * keeps that work per frame small. Five cover a fast wheel (measured: no blank rows up to 900 px a
 * frame, as rendering is synchronous) at 28 rows in the DOM instead of 38.
 */
const OVERSCAN = 5;

/**
 * A list's size before it is measured: the window's, which it never exceeds. Without it the first
 * render holds the overscan rows only, and measuring the list forces a layout of that partial
 * page before a second render brings the rest.
 */
export const windowRect = () => ({ width: window.innerWidth, height: window.innerHeight });

/** The spinner under the rows while the next page loads. */
export function LoadingMore() {
  return (
    <div className="record-table__more">
      <Spin size="small" />
    </div>
  );
}

/** Calls `onNearEnd` when the last rendered item is within a screenful of the loaded rows' end. */
export function useLoadMore(lastIndex: number | undefined, count: number, onNearEnd: () => void) {
  useEffect(() => {
    if (lastIndex !== undefined && lastIndex >= count - 20) onNearEnd();
  }, [lastIndex, count, onNearEnd]);
}

/**
 * The desktop list: a grid whose rows are virtualised (only those in view, plus a few, are in
 * the DOM), so ten thousand loaded rows scroll like fifty. Roles make it a table to assistive
 * technology; headers of sortable columns are buttons.
 */
export function RecordTable(props: RecordTableProps) {
  const { t } = useTranslation();
  const { columns, rows, selected, onSelect, sort, onSort, selectable, onOpen } = props;
  const navigate = useNavigate();
  const scroller = useRef<HTMLDivElement>(null);
  const virtualizer = useVirtualizer({ count: rows.length, getScrollElement: () => scroller.current, estimateSize: () => ROW_HEIGHT, overscan: OVERSCAN, initialRect: windowRect() });
  const items = virtualizer.getVirtualItems();
  useLoadMore(items.at(-1)?.index, rows.length, props.onNearEnd);
  const slots = useRowSlots(items.map((item) => rows[item.index]!.id));
  const [editing, setEditing] = useState<EditingCell | null>(null);
  // A closed editor hands focus back to its cell's edit button (once the cell shows it again).
  const editingNow = useLatest(editing);
  const closed = useRef<EditingCell | null>(null);
  const onEdit = useCallback(
    (cell: EditingCell | null) => {
      closed.current = cell === null ? editingNow.current : null;
      setEditing(cell);
    },
    [editingNow],
  );
  useEffect(() => {
    if (editing !== null || !closed.current) return;
    focusCellEdit(closed.current.id, closed.current.field);
    closed.current = null;
  }, [editing]);
  const width = (selectable ? CHECK_WIDTH : 0) + columns.reduce((sum, c) => sum + c.width, 0);
  // The rows' grid, set once on the table for the header and every row (none carries it inline).
  const tableStyle = {
    '--record-columns': `${selectable ? `${CHECK_WIDTH}px ` : ''}${columns.map((c) => `minmax(${c.width}px, 1fr)`).join(' ')}`,
    '--record-width': `${width}px`,
  } as CSSProperties;
  // Once per change of rows or selection, not per scrolled frame (the table renders on each).
  const selection = useMemo(() => {
    const all = rows.length > 0 && rows.every((row) => selected.has(row.id));
    return { all, some: !all && rows.some((row) => selected.has(row.id)) };
  }, [rows, selected]);
  const onSelectAll = useCallback((on: boolean) => onSelect(rows.map((row) => row.id), on), [rows, onSelect]);
  const selectLabel = t('list.selectRow');
  const editLabels = useMemo(() => new Map(columns.map((column) => [column.name, t('list.editCell', { field: column.label })])), [columns, t]);

  return (
    <div className="record-table" ref={scroller} role="table" aria-label={t('list.table')} aria-rowcount={rows.length + 1} style={tableStyle}>
      <TableHead columns={columns} sort={sort} onSort={onSort} selectable={selectable} all={selection.all} some={selection.some} onSelectAll={onSelectAll} />
      {/*
        Rows in slot order (see row-slots); aria-owns gives assistive technology their order on screen.
        One click handler for every row and link in them (row-clicks.ts).
      */}
      <div
        className="record-table__rows"
        style={{ height: virtualizer.getTotalSize() }}
        role="rowgroup"
        aria-owns={items.map((item) => rowElementId(rows[item.index]!.id)).join(' ')}
        onKeyDown={tabAcrossRows}
        onClick={(event) =>
          onRowsClick(event, (href) => void navigate(href), (element) => {
            const row = rows[Number(element.getAttribute('aria-rowindex')) - 2];
            if (row) onOpen(row);
          })
        }
      >
        {inSlotOrder(items, (item) => slots.get(rows[item.index]!.id)!).map((item) => {
          const row = rows[item.index]!;
          return (
            <TableRow
              key={slots.get(row.id)}
              row={row}
              index={item.index}
              start={item.start}
              selected={selected.has(row.id)}
              selectable={selectable}
              selectLabel={selectLabel}
              editLabels={editLabels}
              editing={editing?.id === row.id ? editing.field : undefined}
              onEdit={onEdit}
              object={props.object}
              columns={columns}
              context={props.context}
              onSelect={onSelect}
              onSaved={props.onSaved}
              onConflict={props.onConflict}
            />
          );
        })}
      </div>
      {props.loadingMore && <LoadingMore />}
    </div>
  );
}

interface TableHeadProps extends Pick<RecordTableProps, 'columns' | 'sort' | 'onSort' | 'selectable'> {
  /** Every loaded row is selected; some (not all) are. */
  readonly all: boolean;
  readonly some: boolean;
  readonly onSelectAll: (on: boolean) => void;
}

/**
 * The header row, memoised: the table renders on every scrolled frame, and the header (antd's
 * check box, two icons per sortable column) does not change with the scroll.
 */
const TableHead = memo(function TableHead({ columns, sort, onSort, selectable, all, some, onSelectAll }: TableHeadProps) {
  const { t } = useTranslation();
  return (
    <div className="record-table__head record-row" role="row">
      {selectable && (
        <div className="record-cell record-cell--check" role="columnheader">
          <Checkbox checked={all} indeterminate={some} onChange={(e) => onSelectAll(e.target.checked)} aria-label={t('list.selectAll')} />
        </div>
      )}
      {columns.map((column) => {
        const direction = sortDirection(sort, column.name);
        return (
          <div key={column.name} className={`record-cell${column.numeric ? ' record-cell--numeric' : ''}`} role="columnheader" aria-sort={direction === 'ascend' ? 'ascending' : direction === 'descend' ? 'descending' : 'none'}>
            {column.sortable ? (
              <button type="button" className="record-table__sort" onClick={() => onSort(column.name)} title={t('list.sortBy', { field: column.label })}>
                <span>{column.label}</span>
                <span className="record-table__sort-icons" aria-hidden>
                  <CaretUpOutlined className={direction === 'ascend' ? 'is-active' : ''} />
                  <CaretDownOutlined className={direction === 'descend' ? 'is-active' : ''} />
                </span>
              </button>
            ) : (
              <span>{column.label}</span>
            )}
          </div>
        );
      })}
    </div>
  );
});

interface TableRowProps extends Pick<RecordRowsProps, 'object' | 'columns' | 'context' | 'onSelect' | 'onSaved' | 'onConflict' | 'selectable'> {
  readonly row: RecordData;
  readonly index: number;
  /** The row's offset from the top of the rows (the virtualiser's). */
  readonly start: number;
  readonly selected: boolean;
  readonly selectLabel: string;
  readonly editLabels: ReadonlyMap<string, string>;
  /** The field being edited in this row, if any. */
  readonly editing: string | undefined;
  readonly onEdit: (cell: EditingCell | null) => void;
}

/**
 * One row, memoised: a scroll re-renders the table on every frame, and only the rows coming into
 * view (and none already shown) should render then. Its only inline style is its offset.
 */
const TableRow = memo(function TableRow({ row, index, start, selected, selectable, selectLabel, editLabels, editing, onEdit, object, columns, context, onSelect, onSaved, onConflict }: TableRowProps) {
  return (
    <div
      className={`record-row record-table__row${selected ? ' is-selected' : ''}${editing ? ' is-editing' : ''}`}
      role="row"
      id={rowElementId(row.id)}
      aria-rowindex={index + 2}
      data-record-id={row.id}
      style={{ transform: `translateY(${start}px)` }}
    >
      {selectable && (
        <div className="record-cell record-cell--check" role="cell" onClick={(e) => e.stopPropagation()}>
          <input type="checkbox" className="record-check" checked={selected} onChange={(e) => onSelect([row.id], e.target.checked)} aria-label={selectLabel} />
        </div>
      )}
      {columns.map((column) => (
        <EditableCell
          key={column.name}
          object={object}
          column={column}
          row={row}
          context={context}
          editLabel={editLabels.get(column.name) ?? column.label}
          editing={editing === column.name}
          onEdit={onEdit}
          onSaved={onSaved}
          onConflict={onConflict}
        />
      ))}
    </div>
  );
});
