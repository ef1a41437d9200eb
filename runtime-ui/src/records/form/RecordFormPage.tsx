import { useQuery, useQueryClient } from '@tanstack/react-query';
import { Button, Result, Skeleton, Typography } from 'antd';
import { useMemo, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { Link, useParams, useSearchParams } from 'react-router';
import type { ClientObject } from '@crm/engine/core';
import { ApiError } from '../../api/client';
import { draftKey } from '../../drafts/draft-store';
import { useDraft } from '../../drafts/useDraft';
import { currentLocale } from '../../i18n/i18n';
import { formLayoutOf } from '../../layouts/form-layout';
import { recordTitle } from '../../fields/inputs/lookup-search';
import { useMetadata } from '../../metadata/client-metadata';
import { textOf } from '../../metadata/labels';
import { paths } from '../../shell/navigation';
import { getRecord, recordKeys, type RecordData } from '../record-api';
import { defaultValues, prefilledValues, ruleContextOf } from './form-check';
import { RecordForm, referenceId } from './RecordForm';
import './record-form.css';

/** The values a form starts from: the placed fields of the record (references as ids), or the defaults. */
function startingValues(object: ClientObject, record: RecordData | undefined, defaults: Readonly<Record<string, unknown>>): Record<string, unknown> {
  const values: Record<string, unknown> = {};
  for (const section of formLayoutOf(object).sections) {
    for (const { field } of section.fields) {
      values[field] = referenceId(record ? record[field] : defaults[field]);
    }
  }
  return values;
}

function FormFor({ object, record, reload }: { object: ClientObject; record?: RecordData; reload?: () => Promise<RecordData | undefined> }) {
  const metadata = useMetadata();
  const draft = useDraft(draftKey(metadata.user.id, object.name, record?.id));
  const [params] = useSearchParams();
  const initial = useMemo(() => {
    // A new record starts from the defaults, then what the link that opened the form names (a related list's parent).
    const defaults = record ? {} : { ...defaultValues(metadata.inputObject(object.name), ruleContextOf(metadata)), ...prefilledValues(object, params) };
    return startingValues(object, record, defaults);
  }, [metadata, object, record, params]);
  if (draft.loading) return <Skeleton active />;
  return <RecordForm object={object} initial={initial} draft={draft} {...(record ? { record } : {})} {...(reload ? { reload } : {})} />;
}

/**
 * `/o/:object/new` and `/o/:object/:id/edit`: the object's form layout as a form. Creating needs
 * the create permission, editing the edit permission (the API decides per record and says so).
 */
export default function RecordFormPage() {
  const { t } = useTranslation();
  const locale = currentLocale();
  const { object: objectName = '', id } = useParams();
  const metadata = useMetadata();
  const queryClient = useQueryClient();
  const object = metadata.object(objectName);
  const record = useQuery({
    queryKey: recordKeys.one(objectName, id ?? ''),
    queryFn: () => getRecord(objectName, id!),
    enabled: Boolean(object && id),
    staleTime: 0,
    retry: false,
  });
  // The form starts from the record once: never from a cached copy older than this visit (an
  // inline edit on the record page a moment ago would come back as a conflict on save).
  const [openedAt] = useState(Date.now);
  const fresh = record.dataUpdatedAt >= openedAt || !record.isFetching;

  if (!object) return <Result status="404" title={t('forms.notFound')} />;
  const label = textOf(object.label, locale, object.name);
  if (id === undefined ? !object.permissions.create : !object.permissions.edit) {
    return <Result status="403" title={t('forms.notAllowed')} extra={<Link to={paths.list(object.name)}>{t('forms.backToList')}</Link>} />;
  }
  if (id !== undefined && record.isError) {
    const notFound = record.error instanceof ApiError && record.error.status === 404;
    return (
      <Result
        status={notFound ? '404' : 'error'}
        title={notFound ? t('forms.recordNotFound') : record.error.message}
        extra={<Button onClick={() => void record.refetch()}>{t('app.retry')}</Button>}
      />
    );
  }
  if (id !== undefined && (!record.data || !fresh)) return <Skeleton active />;

  const reload = async () => {
    const latest = await getRecord(object.name, id!);
    queryClient.setQueryData(recordKeys.one(object.name, id!), latest);
    return latest;
  };
  const heading = record.data ? t('forms.editTitle', { object: label, title: recordTitle(record.data, object.title_field) }) : t('forms.newTitle', { object: label });
  return (
    <div className="record-form-page">
      <Typography.Title level={3} className="record-form-page__title">
        {heading}
      </Typography.Title>
      {/* A new key per record: a form never carries one record's values into another's. */}
      <FormFor key={`${object.name}:${id ?? 'new'}`} object={object} {...(record.data ? { record: record.data, reload } : {})} />
    </div>
  );
}
