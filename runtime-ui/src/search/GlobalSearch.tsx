import { SearchOutlined } from '@ant-design/icons';
import { Input, Modal, Spin, Typography, type InputRef } from 'antd';
import { useEffect, useMemo, useRef, useState, type KeyboardEvent, type RefObject } from 'react';
import { useTranslation } from 'react-i18next';
import { useNavigate } from 'react-router';
import { useReturnFocus } from '../app/use-return-focus';
import type { UiLocale } from '../i18n/i18n';
import { useMetadata } from '../metadata/client-metadata';
import { textOf } from '../metadata/labels';
import { paths } from '../shell/navigation';
import { MAX_SEARCH_TEXT, useGlobalSearch } from './search-api';
import { moveActive, resultGroups, type ResultRow } from './search-results';
import './search.css';
import { isCommitEnter } from '../app/enter-key';

const LISTBOX_ID = 'global-search-results';
const optionId = (index: number) => `global-search-option-${index}`;

/**
 * Ctrl/Cmd+K: one box over the records of every object the user may read. Chinese names are
 * found by their pinyin and initials too ("hx" finds 华信): the server keeps a pinyin key beside
 * each searched value (GET /api/search). Arrows move through the hits, Enter opens one.
 */
export function GlobalSearch({ open, onClose }: { open: boolean; onClose: () => void }) {
  const { t } = useTranslation();
  const input = useRef<InputRef>(null);
  const returnFocus = useReturnFocus(open);
  return (
    <Modal
      open={open}
      onCancel={onClose}
      title={t('search.title')}
      footer={null}
      destroyOnHidden
      className="global-search"
      width={640}
      styles={{ body: { paddingTop: 8 } }}
      // The dialog takes the focus as it opens; the box gets it back once it is shown.
      focusable={returnFocus.focusable}
      afterOpenChange={(visible) => (visible ? input.current?.focus() : returnFocus.afterOpenChange(visible))}
    >
      <SearchPanel input={input} onClose={onClose} />
    </Modal>
  );
}

function SearchPanel({ input, onClose }: { input: RefObject<InputRef | null>; onClose: () => void }) {
  const { t, i18n } = useTranslation();
  const locale = i18n.language as UiLocale;
  const metadata = useMetadata();
  const navigate = useNavigate();
  const [typed, setTyped] = useState('');
  const [active, setActive] = useState(-1);
  const search = useGlobalSearch(typed);

  const groups = useMemo(
    () =>
      resultGroups(search.data ?? [], (name) => {
        const object = metadata.object(name);
        return object ? textOf(object.plural_label ?? object.label, locale, name) : name;
      }),
    [search.data, metadata, locale],
  );
  const rows = useMemo(() => groups.flatMap((g) => g.rows), [groups]);
  // A new answer starts at its first hit, so Enter right after typing opens the best match.
  useEffect(() => setActive(rows.length > 0 ? 0 : -1), [rows]);
  useEffect(() => {
    if (active >= 0) document.getElementById(optionId(active))?.scrollIntoView({ block: 'nearest' });
  }, [active]);

  const openRow = (row: ResultRow) => {
    onClose();
    void navigate(paths.record(row.object, row.hit.id));
  };

  const onKeyDown = (event: KeyboardEvent<HTMLInputElement>) => {
    if (event.key === 'ArrowDown' || event.key === 'ArrowUp') {
      event.preventDefault();
      setActive((current) => moveActive(current, rows.length, event.key === 'ArrowDown' ? 1 : -1));
    } else if (isCommitEnter(event)) {
      // An IME composing pinyin uses Enter itself; only a finished text opens a hit.
      const row = rows[active];
      if (row && search.settled) {
        event.preventDefault();
        openRow(row);
      }
    }
  };

  const text = typed.trim();
  return (
    <div className="global-search__panel">
      <Input
        ref={input}
        autoFocus
        size="large"
        allowClear
        prefix={<SearchOutlined aria-hidden />}
        placeholder={t('search.placeholder')}
        aria-label={t('search.inputLabel')}
        role="combobox"
        aria-expanded={rows.length > 0}
        aria-controls={LISTBOX_ID}
        aria-autocomplete="list"
        aria-activedescendant={active >= 0 ? optionId(active) : undefined}
        maxLength={MAX_SEARCH_TEXT}
        value={typed}
        onChange={(event) => setTyped(event.target.value)}
        onKeyDown={onKeyDown}
      />
      <div className="global-search__status" aria-live="polite">
        {text === '' && <Typography.Text type="secondary">{t('search.start')}</Typography.Text>}
        {text !== '' && search.isFetching && rows.length === 0 && <Spin size="small" aria-label={t('search.searching')} />}
        {text !== '' && search.isError && <Typography.Text type="danger">{t('search.failed', { message: search.error.message })}</Typography.Text>}
        {text !== '' && search.isSuccess && search.settled && !search.isFetching && rows.length === 0 && (
          <Typography.Text type="secondary">{t('search.empty', { text })}</Typography.Text>
        )}
      </div>
      <div id={LISTBOX_ID} role="listbox" aria-label={t('search.resultsLabel')} className="global-search__results">
        {groups.map((group) => (
          <div key={group.object} role="group" aria-labelledby={`global-search-group-${group.object}`}>
            <div id={`global-search-group-${group.object}`} className="global-search__group">
              {group.label}
            </div>
            {group.rows.map((row) => (
              <div
                key={`${row.object}:${row.hit.id}`}
                id={optionId(row.index)}
                role="option"
                aria-selected={row.index === active}
                className={`global-search__option${row.index === active ? ' global-search__option--active' : ''}`}
                onMouseMove={() => setActive(row.index)}
                onMouseDown={(event) => event.preventDefault()}
                onClick={() => openRow(row)}
              >
                <span className="global-search__title">{row.hit.title}</span>
                {row.hit.subtitle && <span className="global-search__subtitle">{row.hit.subtitle}</span>}
              </div>
            ))}
          </div>
        ))}
      </div>
      {rows.length > 0 && (
        <Typography.Text type="secondary" className="global-search__keys">
          {t('search.keys')}
        </Typography.Text>
      )}
    </div>
  );
}
