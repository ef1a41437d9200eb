import { PlusOutlined, UploadOutlined } from '@ant-design/icons';
import { App, Button, Empty, Result, Space, Spin, Typography } from 'antd';
import { lazy, Suspense, useCallback, useEffect, useMemo, useRef, useState } from 'react';
import { useLatest } from '../../app/use-latest';
import { useWideScreen } from '../../shell/use-wide-screen';
import { useTranslation } from 'react-i18next';
import { useNavigate, useParams, useSearchParams } from 'react-router';
import type { ClientObject } from '@crm/engine/core';
import { ApiError } from '../../api/client';
import { cachedDescriptor, useFormatContext } from '../../fields/display/display-context';
import { displayText, formatValue } from '../../fields/display/format-value';
import { emptyGroup, type FilterGroup } from '../../filters/filter-tree';
import { useMetadata } from '../../metadata/client-metadata';
import { textOf } from '../../metadata/labels';
import { paths } from '../../shell/navigation';
import type { UiLocale } from '../../i18n/i18n';
import { getRecord, updateRecord, type RecordData } from '../record-api';
import { refusalText } from '../refusal';
import { BulkBar } from './BulkBar';
import { BulkOutcomeDialog, type ShownOutcome } from './BulkOutcomeDialog';
import { exportUrl } from './bulk-actions';
import { ConflictDialog } from './ConflictDialog';
import type { PendingConflict } from './EditableCell';
import { listColumns } from './list-columns';
import { kindOfOffered, offeredFilterFields, rowsQueryOf } from './list-query';
import { nextSort, readListState, viewSort } from './list-state';
import { ListToolbar } from './ListToolbar';
import { RecordCards } from './RecordCards';
import { RecordTable } from './RecordTable';
import { focusCellEdit } from './row-focus';
import { useSavedViewActions } from './use-saved-view-actions';
import { useRecordList } from './use-record-list';
import './list.css';

// The import dialog, with its CSV parser (and the .xlsx reader behind it), loads when first opened.
const ImportDialog = lazy(() => import('../import/ImportDialog'));

/** The records list of one object (`/o/:object?view=`), generated from its metadata. */
export default function ListPage() {
  const { t } = useTranslation();
  const { object: name = '' } = useParams();
  const metadata = useMetadata();
  const object = metadata.object(name);
  if (!object || !object.permissions.read) return <Result status="404" title={t('list.noObject')} />;
  return <ObjectList key={object.name} object={object} />;
}

type ParamChanges = Readonly<Record<string, string | undefined>>;

function ObjectList({ object }: { object: ClientObject }) {
  const { t, i18n } = useTranslation();
  const locale = i18n.language as UiLocale;
  const { message } = App.useApp();
  const navigate = useNavigate();
  const metadata = useMetadata();
  const phone = !useWideScreen();
  const context = useFormatContext();
  const [params, setParams] = useSearchParams();

  const offered = useMemo(() => offeredFilterFields(object, metadata.objects, locale), [object, metadata.objects, locale]);
  const kindOf = useMemo(() => kindOfOffered(offered), [offered]);
  const state = useMemo(() => readListState(object, params, kindOf), [object, params, kindOf]);
  const columns = useMemo(() => listColumns(object, state.columns, metadata.objects, locale), [object, state.columns, metadata.objects, locale]);
  const query = useMemo(() => rowsQueryOf(object, state, columns, kindOf), [object, state, columns, kindOf]);
  const { filter, expand } = query;
  const list = useRecordList(query);

  const [selected, setSelected] = useState<ReadonlySet<string>>(new Set());
  // The selection bar goes when the selection empties, and with it the focused button of a bulk
  // action or "Clear selection": focus then goes to the list's first checkbox (the header's "select
  // all" on a desktop), where selecting started, instead of the page's body; to the search box
  // (or on a phone its button) when no row is left.
  const root = useRef<HTMLDivElement>(null);
  const listStart = useCallback(() => {
    const within = (selector: string) => root.current?.querySelector<HTMLElement>(selector) ?? null;
    return within('.record-list__body input[type="checkbox"]') ?? within('.list-toolbar__search input') ?? within('.list-toolbar button');
  }, []);
  const hadSelection = useRef(false);
  useEffect(() => {
    if (hadSelection.current && selected.size === 0 && document.activeElement === document.body) listStart()?.focus({ preventScroll: true });
    hadSelection.current = selected.size > 0;
  }, [selected, listStart]);
  const [bulkOutcome, setBulkOutcome] = useState<ShownOutcome>();
  // Mounted from the first opening on, so its closing motion and focus return run.
  const [importOpen, setImportOpen] = useState<boolean | undefined>(undefined);
  const [conflict, setConflict] = useState<{ pending: PendingConflict; fresh: RecordData }>();
  const [resolving, setResolving] = useState(false);

  const change = useCallback(
    (changes: ParamChanges) => {
      setSelected(new Set());
      setParams((previous) => {
        const next = new URLSearchParams(previous);
        for (const [key, value] of Object.entries(changes)) {
          if (value === undefined || value === '') next.delete(key);
          else next.set(key, value);
        }
        return next;
      });
    },
    [setParams],
  );
  // A personal change to the view (sort, filter, columns) leaves the saved view it started from.
  const tweak = (changes: ParamChanges) => change({ ...changes, saved: undefined });
  const savedViews = useSavedViewActions(object.name, state, kindOf, change);

  const titleOf = useCallback(
    (row: RecordData) => {
      const titleField = object.fields.find((f) => f.name === object.title_field);
      return titleField ? displayText(formatValue(cachedDescriptor(titleField, metadata.objects), row[titleField.name], context)) || row.id : row.id;
    },
    [object, metadata.objects, context],
  );

  const { replaceRow, fetchNextPage, hasNextPage, isFetchingNextPage } = list;
  const onNearEnd = useCallback(() => {
    if (hasNextPage && !isFetchingNextPage) void fetchNextPage();
  }, [hasNextPage, isFetchingNextPage, fetchNextPage]);
  // The row is read again with its references expanded, as the list shows them.
  const reload = useCallback(async (id: string) => replaceRow(await getRecord(object.name, id, expand)), [replaceRow, object.name, expand]);
  const onSaved = useCallback((record: RecordData) => reload(record.id), [reload]);
  // antd's message API changes once its holder mounts (after the first render): read at call
  // time, so the rows' callbacks (and the memoised rows) stay as they are.
  const messages = useLatest(message);
  const showConflict = useCallback(
    async (pending: PendingConflict) => {
      try {
        setConflict({ pending, fresh: await getRecord(object.name, pending.row.id, expand) });
      } catch (e) {
        void messages.current.error(e instanceof Error ? e.message : String(e));
      }
    },
    [object.name, expand, messages],
  );
  // Stable: a new function here re-rendered every row on every render of the list.
  const onConflict = useCallback((pending: PendingConflict) => void showConflict(pending), [showConflict]);
  // The dialog unmounts with its buttons: focus goes back to the cell the edit started from. After
  // the commit that removed it, not on the next frame: under load the frame came first, while the
  // dialog's button still held focus, and focus then fell to the page's body.
  const conflictClosed = useRef<{ id: string; field: string } | null>(null);
  const closeConflict = () => {
    if (!conflict) return;
    conflictClosed.current = { id: conflict.pending.row.id, field: conflict.pending.field };
    setConflict(undefined);
  };
  useEffect(() => {
    if (conflict || !conflictClosed.current) return;
    focusCellEdit(conflictClosed.current.id, conflictClosed.current.field);
    conflictClosed.current = null;
  }, [conflict]);
  const keepMine = async () => {
    if (!conflict) return;
    setResolving(true);
    try {
      const saved = await updateRecord(object.name, conflict.fresh.id, conflict.fresh.version, { [conflict.pending.field]: conflict.pending.value });
      await reload(saved.id);
      closeConflict();
    } catch (e) {
      if (e instanceof ApiError && e.status === 412) await showConflict(conflict.pending);
      else void message.error(e instanceof ApiError && e.fields[0] ? e.fields[0].message : refusalText(e, t));
    } finally {
      setResolving(false);
    }
  };

  const selectable = object.permissions.edit || object.permissions.delete || object.permissions.export || object.permissions.transfer;
  const onSelect = useCallback((ids: readonly string[], on: boolean) => {
    setSelected((previous) => {
      const next = new Set(previous);
      for (const id of ids) {
        if (on) next.add(id);
        else next.delete(id);
      }
      return next;
    });
  }, []);
  const onOpen = useCallback((row: RecordData) => navigate(paths.record(object.name, row.id)), [navigate, object.name]);
  const selectedRows = useMemo(() => list.rows.filter((row) => selected.has(row.id)), [list.rows, selected]);

  const rowsProps = {
    object,
    columns,
    rows: list.rows,
    context,
    selected,
    onSelect,
    onOpen,
    onNearEnd,
    loadingMore: isFetchingNextPage,
    onSaved,
    onConflict,
    selectable,
  };

  return (
    <div className="record-list" ref={root}>
      <div className="record-list__header">
        <Typography.Title level={3} className="record-list__title">
          {textOf(object.plural_label ?? object.label, locale, object.name)}
        </Typography.Title>
        <span className="record-list__count" aria-live="polite">
          {list.total !== undefined ? t('list.count', { count: list.total }) : ''}
        </span>
      </div>
      <ListToolbar
        object={object}
        state={state}
        savedViews={savedViews.views}
        filterFields={offered}
        phone={phone}
        exportHref={object.permissions.export ? exportUrl(object.name, { filter, sort: state.sort, fields: columns.map((c) => c.name), locale }) : undefined}
        onView={(view) => change({ view, sort: undefined, filter: undefined, cols: undefined, q: undefined, saved: undefined })}
        onSaved={savedViews.apply}
        onSearch={(q) => change({ q })}
        onFilter={(group: FilterGroup) => tweak({ filter: JSON.stringify(group) })}
        onColumns={(names) => tweak({ cols: names.join(',') })}
        onSaveView={savedViews.save}
        onDeleteSaved={savedViews.remove}
        onImport={() => setImportOpen(true)}
      />
      {selectedRows.length > 0 && <BulkBar object={object} selectedRows={selectedRows} columns={columns} titleOf={titleOf} onDone={(keep) => setSelected(new Set(keep))} focusAfter={listStart} onOutcome={setBulkOutcome} />}
      <BulkOutcomeDialog outcome={bulkOutcome} onClose={() => setBulkOutcome(undefined)} focusAfter={listStart} />
      <div className="record-list__body">
        {list.isPending ? (
          <div className="record-list__state">
            <Spin />
          </div>
        ) : list.isError ? (
          <Result status="warning" title={t('list.loadFailed')} subTitle={list.error.message} />
        ) : list.rows.length === 0 ? (
          <EmptyList
            narrowed={state.q !== '' || state.filter.children.length > 0}
            object={object}
            onClear={() => tweak({ q: undefined, filter: JSON.stringify(emptyGroup()) })}
            onCreate={() => void navigate(paths.create(object.name))}
            onImport={() => setImportOpen(true)}
          />
        ) : phone ? (
          <RecordCards {...rowsProps} />
        ) : (
          <RecordTable {...rowsProps} sort={state.sort} onSort={(field) => tweak({ sort: nextSort(state.sort, field, viewSort(state.view)) })} />
        )}
      </div>
      {importOpen !== undefined && (
        <Suspense fallback={null}>
          <ImportDialog object={object} open={importOpen} phone={phone} onClose={() => setImportOpen(false)} />
        </Suspense>
      )}
      {conflict && (
        <ConflictDialog
          conflict={conflict.pending}
          fresh={conflict.fresh}
          columns={columns}
          context={context}
          saving={resolving}
          onKeepMine={() => void keepMine()}
          onTakeTheirs={() => {
            replaceRow(conflict.fresh);
            closeConflict();
          }}
        />
      )}
    </div>
  );
}

/**
 * A list with no rows: a filter or search that matches nothing can be cleared; an empty object
 * offers its first record, typed or imported from a spreadsheet, to those who may create.
 */
function EmptyList({ narrowed, object, onClear, onCreate, onImport }: { narrowed: boolean; object: ClientObject; onClear: () => void; onCreate: () => void; onImport: () => void }) {
  const { t } = useTranslation();
  if (narrowed) {
    return (
      <Empty className="record-list__state" description={t('list.noMatch')}>
        <Button onClick={onClear}>{t('list.clearFilter')}</Button>
      </Empty>
    );
  }
  return (
    <Empty className="record-list__state" description={t('list.empty')}>
      {object.permissions.create && (
        <Space wrap>
          <Button type="primary" icon={<PlusOutlined />} onClick={onCreate}>
            {t('list.new')}
          </Button>
          <Button icon={<UploadOutlined />} onClick={onImport}>
            {t('import.fromFile')}
          </Button>
        </Space>
      )}
    </Empty>
  );
}
