import { useQuery } from '@tanstack/react-query';
import { Input, Select, Spin } from 'antd';
import { useEffect, useRef, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { useMetadata } from '../../metadata/client-metadata';
import { getRecord, recordKeys } from '../../records/record-api';
import { LOOKUP_DEBOUNCE_MS, recordTitle, searchLookup, type LookupPage } from './lookup-search';
import { descriptorString, pickerProps, referenceValue, withCurrent, type WidgetProps } from './widget-props';

type Choice = LookupPage['choices'][number];

/** The current record's title, for showing a value the picker has not searched for. */
function useRecordTitle(target: string | undefined, titleField: string | undefined, id: string | null) {
  return useQuery({
    queryKey: [...recordKeys.one(target ?? '', id ?? ''), 'title'],
    queryFn: async () => recordTitle(await getRecord(target!, id!), titleField),
    enabled: Boolean(target && id),
    staleTime: 60_000,
    retry: false,
  });
}

/**
 * lookup and master-detail: a searchable select asking the server as the user types (debounced,
 * 20 at a time, more on scrolling to the end). A target the user may not read has no picker:
 * the value shows as its id, read-only, as the API returns it.
 */
export function LookupInput(props: WidgetProps) {
  const { field, descriptor, value, id, label } = props;
  const { t } = useTranslation();
  const metadata = useMetadata();
  const target = descriptorString(descriptor, 'target');
  const targetObject = target ? metadata.object(target) : undefined;
  const titleField = targetObject?.title_field;
  const current = referenceValue(value);
  const title = useRecordTitle(field.target_readable === false ? undefined : target, titleField, current);
  const [choices, setChoices] = useState<readonly Choice[]>([]);
  const [cursor, setCursor] = useState<string | null>(null);
  const [loading, setLoading] = useState(false);
  const [search, setSearch] = useState('');
  const request = useRef<AbortController | null>(null);

  const load = (q: string, after: string | null) => {
    if (!target) return;
    request.current?.abort();
    const controller = new AbortController();
    request.current = controller;
    setLoading(true);
    searchLookup(target, titleField, q, after, controller.signal)
      .then((page) => {
        setChoices((before) => (after ? [...before, ...page.choices] : page.choices));
        setCursor(page.cursor);
      })
      .catch(() => undefined)
      .finally(() => {
        if (request.current === controller) setLoading(false);
      });
  };

  // Typing: one search per pause.
  const [open, setOpen] = useState(false);
  useEffect(() => {
    if (!open) return undefined;
    const timer = setTimeout(() => load(search, null), LOOKUP_DEBOUNCE_MS);
    return () => clearTimeout(timer);
  }, [search, open]);
  useEffect(() => () => request.current?.abort(), []);

  if (field.target_readable === false || !targetObject) {
    return <Input id={id} value={current ?? ''} readOnly aria-label={id ? undefined : label} />;
  }
  const options = withCurrent(choices, current, title.data ?? current ?? '');
  return (
    <Select<string>
      {...pickerProps(props, current)}
      options={[...options]}
      placeholder={t('fields.lookup.search')}
      showSearch={{ filterOption: false, onSearch: setSearch, searchValue: search }}
      notFoundContent={loading ? <Spin size="small" /> : t('fields.lookup.none')}
      onOpenChange={(next) => {
        setOpen(next);
        if (!next) setSearch('');
      }}
      onPopupScroll={(event) => {
        const list = event.currentTarget;
        if (cursor && !loading && list.scrollTop + list.clientHeight >= list.scrollHeight - 24) load(search, cursor);
      }}
    />
  );
}
