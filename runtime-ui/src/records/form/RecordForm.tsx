import { useQueryClient } from '@tanstack/react-query';
import { Alert, Button, Space } from 'antd';
import { useCallback, useEffect, useLayoutEffect, useMemo, useRef, useState, type KeyboardEvent } from 'react';
import { useLatest } from '../../app/use-latest';
import { useWideScreen } from '../../shell/use-wide-screen';
import { useForm } from 'react-hook-form';
import { useTranslation } from 'react-i18next';
import { useNavigate } from 'react-router';
import { isRequired, type ClientObject } from '@crm/engine/core';
import { ApiError } from '../../api/client';
import { useLeaveGuard } from '../../drafts/useLeaveGuard';
import type { DraftState } from '../../drafts/useDraft';
import { currentLocale } from '../../i18n/i18n';
import { storedRow, type FormValues } from '../../layouts/form-data';
import { formLayoutOf } from '../../layouts/form-layout';
import { FormLayoutView, type FieldMessages, type PlacedField } from '../../layouts/FormLayoutView';
import { useMetadata } from '../../metadata/client-metadata';
import { paths } from '../../shell/navigation';
import { createRecord, recordKeys, updateRecord, type RecordData } from '../record-api';
import { descriptorOf } from '../../fields/field-widget';
import { DeferredWidgets } from '../../fields/inputs/deferred-widget';
import { takesRegistration } from '../../fields/inputs/TextInput';
import { FieldSlot } from './FieldSlot';
import { browserIssues, changedFields, issuesIn, ruleContextOf } from './form-check';
import { FormLive, useLive, type LiveDeps } from './form-live';
import { isCommitEnter } from '../../app/enter-key';

export interface RecordFormProps {
  readonly object: ClientObject;
  /** The record being edited (absent: a new record). */
  readonly record?: RecordData;
  /** Where the form starts: defaults or the record's values. */
  readonly initial: FormValues;
  readonly draft: DraftState;
  /** Reloads the record after a conflict (edit only); resolves with the latest. */
  readonly reload?: () => Promise<RecordData | undefined>;
}

/** A reference as the form holds it: the id, also when the API answered with an expanded record. */
export function referenceId(value: unknown): unknown {
  return value !== null && typeof value === 'object' && !Array.isArray(value) && 'id' in value ? (value as { id: unknown }).id : (value ?? null);
}

/** Input types whose Enter submits their form in a browser (implicit submission). */
const SUBMITTING_TYPES = new Set(['text', 'search', 'email', 'url', 'tel', 'password', 'number', 'date', 'datetime-local', 'month', 'time', 'week']);

/**
 * What Enter does in the form. Each section is a form of its own (FormLayoutView's onSubmit), so
 * the browser would submit only a lone field's section: Enter in a text-like input saves the
 * record here, as on a one-form page. In a date picker Enter confirms the typed date (the
 * browser must not submit the half-filled form); in a select or lookup it opens or picks.
 */
function enterAction(event: KeyboardEvent<HTMLElement>): 'save' | 'hold' | undefined {
  const target = event.target;
  if (!isCommitEnter(event) || !(target instanceof HTMLElement)) return undefined;
  if (target.closest('.ant-picker')) return 'hold';
  if (event.defaultPrevented || target.closest('.ant-select') || !(target instanceof HTMLInputElement) || !SUBMITTING_TYPES.has(target.type)) return undefined;
  return 'save';
}

declare global {
  interface Window {
    /** For browser tests: the form's own check of any input (see form-check.ts browserIssues). */
    crmForms?: { browserIssues: (object: string, input: unknown, old?: Record<string, unknown>) => ReturnType<typeof browserIssues> };
  }
}

/**
 * A record's form: the layout rendered with react-hook-form, checked on every change by core's
 * checkRecordInput (the issues the API would return, in its words, under their fields), formulas
 * recomputed live, section and field conditions live, kept as a draft while typing; saved with
 * only the changed fields and If-Match on edit. Server answers (unique values, rules, conflicts)
 * land on their fields or at the top.
 */
export function RecordForm({ object, record, initial, draft, reload }: RecordFormProps) {
  const { t } = useTranslation();
  const locale = currentLocale();
  const metadata = useMetadata();
  const navigate = useNavigate();
  const queryClient = useQueryClient();
  const phone = !useWideScreen();
  const input = metadata.inputObject(object.name);
  const context = useMemo(() => ruleContextOf(metadata), [metadata]);
  const layout = useMemo(() => formLayoutOf(object), [object]);
  const [base, setBase] = useState<{ record: RecordData | undefined; initial: FormValues }>({ record, initial });
  const old = useMemo(() => (base.record ? storedRow(input, base.record) : undefined), [input, base.record]);
  const startValues = useMemo(() => ({ ...initial, ...draft.restored?.values }), [initial, draft.restored]);
  const version = draft.restored?.version ?? record?.version;
  const [baseVersion, setBaseVersion] = useState(version);

  const { control, handleSubmit, reset, setFocus, formState, subscribe, getValues } = useForm<Record<string, unknown>>({ defaultValues: startValues });
  const [saving, setSaving] = useState(false);

  // The live state (check, formulas, conditions) is computed on each change outside React
  // rendering; this component reads only what changes rarely (sections shown, top messages).
  const deps = useMemo<LiveDeps>(
    () => ({
      object,
      input,
      layout,
      context,
      old,
      initial: base.initial,
      editing: Boolean(base.record),
      locale,
      holds: (condition, data) => metadata.compilers.rule(condition, 'boolean')(data) === true,
    }),
    [object, input, layout, context, old, base, locale, metadata],
  );
  const [live] = useState(() => new FormLive(deps, { values: startValues, touched: new Set(changedFields(startValues, base.initial)), submitted: false, server: undefined }));
  useLayoutEffect(() => live.setDeps(deps), [live, deps]);
  // While the form restarts, react-hook-form reports each field it resets; the store takes the values once, after.
  const restarting = useRef(false);
  useEffect(() => subscribe({ formState: { values: true }, callback: ({ values }) => restarting.current || live.setValues({ ...values }) }), [subscribe, live]);
  const states = useLive(live, (state) => state.states);
  const general = useLive(live, (state) => state.general);
  const server = useLive(live, (state) => state.server);
  const dirty = useLive(live, (state) => state.dirty);
  const messages = useMemo<FieldMessages>(() => ({ subscribe: (listener, field) => live.subscribeField(field, listener), get: (name) => live.get().messages[name] ?? '' }), [live]);
  const required = useMemo(() => new Set(input.userFields.filter((field) => isRequired(field)).map((field) => field.name)), [input]);

  // Drafts: every change is kept (debounced); back where it started, there is nothing to keep.
  useEffect(() => {
    let kept: FormValues | undefined;
    const keep = () => {
      const { values, dirty: changed } = live.get();
      if (values === kept) return;
      kept = values;
      if (changed) draft.keep({ ...values }, baseVersion);
      else if (draft.restored === undefined) void draft.clear();
    };
    keep();
    return live.subscribe(keep);
    // draft's functions are stable per key.
  }, [live, baseVersion, draft.restored]);

  const discardOnLeave = useCallback(() => void draft.clear(), [draft]);
  const release = useLeaveGuard(dirty && !saving, discardOnLeave);

  useEffect(() => {
    window.crmForms = { browserIssues: (name, value, oldRow) => browserIssues(metadata, name, value, oldRow) };
    return () => {
      delete window.crmForms;
    };
  }, [metadata]);

  const noteTouched = useCallback((name: string) => live.touch(name), [live]);
  // A server issue about a field goes once the user changes that field.
  const noteChange = useCallback((name: string) => live.changed(name), [live]);
  const renderInput = useCallback(
    ({ field, id, readOnly, invalid }: PlacedField) => (
      <FieldSlot
        control={control}
        live={live}
        object={object}
        field={field}
        id={id}
        readOnly={readOnly}
        invalid={invalid}
        registers={takesRegistration(descriptorOf(field, metadata.objects))}
        onChanged={noteChange}
        onTouched={noteTouched}
      />
    ),
    [control, live, object, metadata, noteChange, noteTouched],
  );

  /**
   * Starts the form again from `values`. keepFieldsRef: registered inputs keep their registration
   * and are given the new values (without it react-hook-form forgets them until they re-render).
   */
  const restart = (values: FormValues) => {
    restarting.current = true;
    try {
      reset(values, { keepFieldsRef: true });
    } finally {
      restarting.current = false;
    }
    live.setValues({ ...getValues() });
  };

  const discardDraft = async () => {
    await draft.clear();
    restart(base.initial);
    live.update({ touched: new Set(), server: undefined });
    setBaseVersion(base.record?.version);
  };

  const takeLatest = async () => {
    const latest = await reload?.();
    if (!latest) return;
    // Keep what the user changed on top of the record as it is now; take everything else from it.
    const { changed, values } = live.get();
    const nextInitial = Object.fromEntries(Object.keys(base.initial).map((name) => [name, referenceId(latest[name])]));
    const mine = Object.fromEntries(changed.map((name) => [name, values[name]]));
    restart({ ...nextInitial, ...mine });
    setBase({ record: latest, initial: nextInitial });
    setBaseVersion(latest.version);
    live.update({ server: undefined });
  };

  const save = async () => {
    live.update({ submitted: true });
    const { check, shown, writable, payload } = live.get();
    if (!check.ok) {
      const first = issuesIn(check.error, locale).map((issue) => issue.field ?? issue.path).find((name) => shown.has(name) && writable.has(name));
      if (first) setFocus(first);
      return;
    }
    setSaving(true);
    try {
      const saved = base.record
        ? await updateRecord(object.name, base.record.id, baseVersion ?? base.record.version, payload)
        : await createRecord(object.name, payload);
      release();
      await draft.clear();
      void queryClient.invalidateQueries({ queryKey: recordKeys.all(object.name) });
      queryClient.setQueryData(recordKeys.one(object.name, saved.id), saved);
      void navigate(paths.record(object.name, saved.id));
    } catch (error) {
      if (error instanceof ApiError) {
        live.update({ server: { issues: error.fields, message: error.message, conflict: error.status === 412 } });
      } else {
        live.update({ server: { issues: [], message: error instanceof Error ? error.message : String(error), conflict: false } });
      }
    } finally {
      setSaving(false);
    }
  };

  const cancel = () => void navigate(base.record ? paths.record(object.name, base.record.id) : paths.list(object.name));

  const latestSave = useLatest(save);
  // Stable: the memoised sections (each a form submitting through it) do not re-render for it.
  const submit = useCallback(() => void handleSubmit(() => latestSave.current())(), [handleSubmit, latestSave]);
  const onKeyDown = (event: KeyboardEvent<HTMLDivElement>) => {
    const action = enterAction(event);
    if (action !== undefined) event.preventDefault();
    if (action === 'save') submit();
  };

  return (
    <div className="record-form" onKeyDown={onKeyDown}>
      {draft.restored && (
        <Alert
          className="record-form__notice"
          type="info"
          showIcon
          title={t('forms.draft.restored')}
          action={
            <Button size="small" onClick={() => void discardDraft()}>
              {t('forms.draft.discard')}
            </Button>
          }
        />
      )}
      {server?.conflict && (
        <Alert
          className="record-form__notice"
          type="warning"
          showIcon
          title={t('forms.conflict.title')}
          description={t('forms.conflict.body')}
          action={
            reload && (
              <Button size="small" onClick={() => void takeLatest()}>
                {t('forms.conflict.reload')}
              </Button>
            )
          }
        />
      )}
      {general.length > 0 && (
        <Alert
          className="record-form__notice"
          type="error"
          showIcon
          role="alert"
          title={general.length === 1 ? general[0] : t('forms.issues', { count: general.length })}
          {...(general.length > 1 ? { description: <ul className="record-form__issues">{general.map((m) => <li key={m}>{m}</li>)}</ul> } : {})}
        />
      )}
      {/* 200 fields mount 200 light inputs; a picker becomes antd's where the user goes. */}
      <DeferredWidgets.Provider value={true}>
        <FormLayoutView object={object} states={states} required={required} messages={messages} singleColumn={phone} renderInput={renderInput} onSubmit={submit} />
      </DeferredWidgets.Provider>
      <div className={phone ? 'record-form__actions record-form__actions--phone' : 'record-form__actions'}>
        <Space>
          <Button onClick={cancel}>{t('forms.cancel')}</Button>
          <Button type="primary" loading={saving} disabled={formState.isSubmitting} onClick={submit}>
            {base.record ? t('forms.save') : t('forms.create')}
          </Button>
        </Space>
      </div>
    </div>
  );
}
