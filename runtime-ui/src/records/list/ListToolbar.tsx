import { DeleteOutlined, DownloadOutlined, FilterOutlined, MoreOutlined, PlusOutlined, SaveOutlined, SearchOutlined, SettingOutlined, UploadOutlined } from '@ant-design/icons';
import { Badge, Button, Checkbox, Drawer, Dropdown, Input, Modal, Popover, Select, Space, Spin, type MenuProps } from 'antd';
import { lazy, Suspense, useEffect, useRef, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { useNavigate } from 'react-router';
import type { ClientObject, KanbanView } from '@crm/engine/core';
import { isCommitEnter } from '../../app/enter-key';
import { useReturnFocus } from '../../app/use-return-focus';
import { FilterBuilder } from '../../filters/FilterBuilder';
import type { FilterField } from '../../filters/filter-kinds';
import { emptyGroup, type FilterGroup, type FilterNode } from '../../filters/filter-tree';
import { textOf } from '../../metadata/labels';
import { paths } from '../../shell/navigation';
import type { UiLocale } from '../../i18n/i18n';
import { listViews, type ListState } from './list-state';
import type { SavedView } from './saved-views';

// The drag library comes with the picker, when it is first opened.
const ColumnsPicker = lazy(() => import('./ColumnsPicker'));

export interface ListToolbarProps {
  readonly object: ClientObject;
  readonly state: ListState;
  readonly savedViews: readonly SavedView[];
  readonly filterFields: readonly FilterField[];
  readonly phone: boolean;
  readonly exportHref: string | undefined;
  readonly onView: (name: string) => void;
  readonly onSaved: (view: SavedView) => void;
  readonly onSearch: (q: string) => void;
  readonly onFilter: (filter: FilterGroup) => void;
  readonly onColumns: (columns: readonly string[]) => void;
  /** `asNew`: a new view even while a saved view is shown (otherwise that view is updated, and renamed to `name`). */
  readonly onSaveView: (name: string, asNew: boolean) => void;
  readonly onDeleteSaved: (id: string) => void;
  /** Opens the import dialog (offered to those who may create). */
  readonly onImport: () => void;
}

function countConditions(node: FilterNode): number {
  return node.type === 'group' ? node.children.reduce((sum, child) => sum + countConditions(child), 0) : 1;
}

/** View picker, quick search, filter builder, columns, personal views, export and New. */
export function ListToolbar(props: ListToolbarProps) {
  const { t, i18n } = useTranslation();
  const locale = i18n.language as UiLocale;
  const navigate = useNavigate();
  const { object, state } = props;
  const [search, setSearch] = useState(state.q);
  const [filterOpen, setFilterOpen] = useState(false);
  const [draft, setDraft] = useState<FilterGroup>(state.filter);
  const [saveOpen, setSaveOpen] = useState(false);
  const [saveName, setSaveName] = useState('');
  const [saveAsNew, setSaveAsNew] = useState(false);
  // Phone: one row (views, search, filter, more, new); the search field opens under it on demand
  // and the rarer actions (columns, saving a view, export) sit in the "more" menu.
  const [searchOpen, setSearchOpen] = useState(false);
  const [columnsOpen, setColumnsOpen] = useState(false);
  const filterFocus = useReturnFocus(filterOpen);
  const saveFocus = useReturnFocus(saveOpen, undefined, 'saved-view-name');
  const columnsFocus = useReturnFocus(columnsOpen);
  const searching = !props.phone || searchOpen || state.q !== '';

  // Typing searches after a pause, not on every key.
  const submitted = useRef(state.q);
  const submit = (q: string) => {
    submitted.current = q;
    props.onSearch(q);
  };
  useEffect(() => {
    if (search === state.q) return;
    const timer = setTimeout(() => submit(search), 300);
    return () => clearTimeout(timer);
  }, [search]);
  // A search from elsewhere (a view, Back, a saved view) replaces the box. The box's own search
  // coming back through the URL leaves it alone: it reaches the page a moment later, and keys
  // typed meanwhile were lost to it (a slow machine turned "MES 2" into "MES2").
  useEffect(() => {
    if (state.q !== submitted.current) setSearch(state.q);
    submitted.current = state.q;
  }, [state.q]);

  const boards = object.views.filter((view): view is KanbanView => view.type === 'kanban');
  const viewValue = state.saved ? `saved:${state.saved}` : state.view ? `view:${state.view.name}` : undefined;
  const options = [
    { label: t('list.views'), title: t('list.views'), options: listViews(object).map((view) => ({ value: `view:${view.name}`, label: textOf(view.label, locale, view.name) })) },
    ...(props.savedViews.length ? [{ label: t('list.myViews'), title: t('list.myViews'), options: props.savedViews.map((view) => ({ value: `saved:${view.id}`, label: view.name })) }] : []),
    ...(boards.length ? [{ label: t('list.boards'), title: t('list.boards'), options: boards.map((view) => ({ value: `board:${view.name}`, label: textOf(view.label, locale, view.name) })) }] : []),
  ];
  const onPick = (value: string) => {
    const [kind, name] = [value.slice(0, value.indexOf(':')), value.slice(value.indexOf(':') + 1)];
    if (kind === 'board') navigate(paths.board(object.name, name));
    else if (kind === 'saved') {
      const saved = props.savedViews.find((view) => view.id === name);
      if (saved) props.onSaved(saved);
    } else props.onView(name);
  };
  const conditions = countConditions(state.filter);
  const saveView = () => {
    if (!saveName.trim()) return;
    props.onSaveView(saveName.trim(), saveAsNew || !state.saved);
    setSaveOpen(false);
  };
  const openSave = () => (setSaveName(props.savedViews.find((v) => v.id === state.saved)?.name ?? ''), setSaveAsNew(false), setSaveOpen(true));
  const columnsPicker = (
    <Suspense fallback={<Spin size="small" />}>
      <ColumnsPicker object={object} columns={state.columns} onColumns={props.onColumns} />
    </Suspense>
  );
  const more: MenuProps['items'] = [
    { key: 'columns', icon: <SettingOutlined />, label: t('list.columns'), onClick: () => setColumnsOpen(true) },
    { key: 'save', icon: <SaveOutlined />, label: t('list.saveView'), onClick: openSave },
    ...(state.saved ? [{ key: 'delete', icon: <DeleteOutlined />, label: t('list.deleteView'), onClick: () => props.onDeleteSaved(state.saved!) }] : []),
    ...(object.permissions.create ? [{ key: 'import', icon: <UploadOutlined />, label: t('import.button'), onClick: props.onImport }] : []),
    ...(props.exportHref ? [{ key: 'export', icon: <DownloadOutlined />, label: <a href={props.exportHref}>{t('list.export')}</a> }] : []),
  ];

  return (
    <div className={props.phone ? 'list-toolbar list-toolbar--phone' : 'list-toolbar'}>
      <Select className="list-toolbar__views" aria-label={t('list.view')} value={viewValue} placeholder={listViews(object).length ? t('list.view') : t('list.allRecords')} options={options} onChange={onPick} popupMatchSelectWidth={false} />
      {searching && (
        <Input.Search className="list-toolbar__search" aria-label={t('list.search')} placeholder={t('list.search')} allowClear autoFocus={props.phone} value={search} onChange={(e) => setSearch(e.target.value)} onSearch={submit} />
      )}
      <Space wrap={!props.phone} size={props.phone ? 4 : 8} className="list-toolbar__actions">
        {props.phone && (
          <Button icon={<SearchOutlined />} className="touch" type={searching ? 'default' : 'text'} aria-label={t('list.search')} aria-expanded={searching} onClick={() => setSearchOpen(!searchOpen)} />
        )}
        <Badge count={conditions} size="small">
          <Button
            icon={<FilterOutlined />}
            className="touch"
            aria-label={t('list.filter')}
            onClick={() => {
              setDraft(state.filter);
              setFilterOpen(true);
            }}
          >
            {props.phone ? null : t('list.filter')}
          </Button>
        </Badge>
        {props.phone && (
          <Dropdown trigger={['click']} menu={{ items: more }} rootClassName="list-toolbar__more">
            <Button icon={<MoreOutlined />} className="touch" aria-label={t('list.more')} />
          </Dropdown>
        )}
        {!props.phone && (
          <Popover trigger="click" placement="bottomRight" title={t('list.columns')} content={columnsPicker}>
            <Button icon={<SettingOutlined />} className="touch" aria-label={t('list.columns')}>
              {t('list.columns')}
            </Button>
          </Popover>
        )}
        {!props.phone && (
          <Button icon={<SaveOutlined />} className="touch" aria-label={t('list.saveView')} onClick={openSave}>
            {t('list.saveView')}
          </Button>
        )}
        {!props.phone && state.saved && (
          <Button icon={<DeleteOutlined />} className="touch" aria-label={t('list.deleteView')} onClick={() => props.onDeleteSaved(state.saved!)}>
            {t('list.deleteView')}
          </Button>
        )}
        {!props.phone && object.permissions.create && (
          <Button icon={<UploadOutlined />} className="touch" aria-label={t('import.button')} onClick={props.onImport}>
            {t('import.button')}
          </Button>
        )}
        {!props.phone && props.exportHref && (
          <Button icon={<DownloadOutlined />} className="touch" href={props.exportHref} aria-label={t('list.export')}>
            {t('list.export')}
          </Button>
        )}
        {object.permissions.create && (
          <Button type="primary" icon={<PlusOutlined />} className="touch" aria-label={t('list.new')} onClick={() => navigate(paths.create(object.name))}>
            {props.phone ? null : t('list.new')}
          </Button>
        )}
      </Space>

      <Drawer open={columnsOpen} {...columnsFocus} onClose={() => setColumnsOpen(false)} title={t('list.columns')} placement="bottom" size="large">
        {columnsPicker}
      </Drawer>

      <Drawer
        open={filterOpen}
        {...filterFocus}
        onClose={() => setFilterOpen(false)}
        title={t('filters.title')}
        placement={props.phone ? 'bottom' : 'right'}
        size={props.phone ? 'large' : 640}
        extra={
          <Space>
            <Button onClick={() => setDraft(emptyGroup())}>{t('filters.clear')}</Button>
            <Button
              type="primary"
              onClick={() => {
                props.onFilter(draft);
                setFilterOpen(false);
              }}
            >
              {t('filters.apply')}
            </Button>
          </Space>
        }
      >
        <FilterBuilder fields={props.filterFields} value={draft} onChange={setDraft} />
      </Drawer>

      <Modal
        open={saveOpen}
        {...saveFocus}
        title={t('list.saveView')}
        okText={t('list.save')}
        cancelText={t('list.cancel')}
        okButtonProps={{ disabled: !saveName.trim() }}
        onCancel={() => setSaveOpen(false)}
        onOk={saveView}
      >
        <label htmlFor="saved-view-name">{t('list.viewName')}</label>
        <Input id="saved-view-name" value={saveName} onChange={(e) => setSaveName(e.target.value)} onPressEnter={(event) => isCommitEnter(event) && saveView()} maxLength={80} />
        {state.saved && (
          <Checkbox className="list-toolbar__save-as-new" checked={saveAsNew} onChange={(e) => setSaveAsNew(e.target.checked)}>
            {t('list.saveAsNew')}
          </Checkbox>
        )}
        <p className="list-toolbar__note">{t('list.savedForYou')}</p>
      </Modal>
    </div>
  );
}
