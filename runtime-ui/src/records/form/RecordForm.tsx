import { useQueryClient } from '@tanstack/react-query';
import { Alert, Button, Grid, Space } from 'antd';
import { useCallback, useEffect, useMemo, useRef, useState, type KeyboardEvent } from 'react';
import { useForm, useWatch } from 'react-hook-form';
import { useTranslation } from 'react-i18next';
import { useNavigate } from 'react-router';
import { isRequired, type ClientField, type ClientObject } from '@crm/engine/core';
import { ApiError } from '../../api/client';
import { useLeaveGuard } from '../../drafts/useLeaveGuard';
import type { DraftState } from '../../drafts/useDraft';
import { currentLocale } from '../../i18n/i18n';
import { formRuleState, storedRow, type FormValues } from '../../layouts/form-data';
import { formLayoutOf, layoutState, shownFields, writableFields } from '../../layouts/form-layout';
import { FormLayoutView } from '../../layouts/FormLayoutView';
import { useMetadata } from '../../metadata/client-metadata';
import { paths } from '../../shell/navigation';
import { createRecord, recordKeys, updateRecord, type RecordData } from '../record-api';
import { controllingFieldOf, FieldSlot } from './FieldSlot';
import { browserIssues, changedFields, checkForm, formInput, issuesIn, placeIssues, ruleContextOf } from './form-check';

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

/** A server answer that the form shows: issues on fields and a message at the top. */
interface ServerAnswer {
  readonly issues: readonly { path: string; code: string; message: string; field?: string }[];
  readonly message: string;
  readonly conflict: boolean;
}

/** A reference as the form holds it: the id, also when the API answered with an expanded record. */
export function referenceId(value: unknown): unknown {
  return value !== null && typeof value === 'object' && !Array.isArray(value) && 'id' in value ? (value as { id: unknown }).id : (value ?? null);
}

/**
 * Enter in a date picker confirms the typed date; without this the browser's implicit submission
 * would also send the half-filled form. The submit button (and Enter elsewhere) still submits.
 */
function confirmPickersWithoutSubmitting(event: KeyboardEvent<HTMLFormElement>) {
  if (event.key === 'Enter' && event.target instanceof HTMLElement && event.target.closest('.ant-picker')) event.preventDefault();
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
  const phone = !Grid.useBreakpoint().md;
  const input = metadata.inputObject(object.name);
  const context = useMemo(() => ruleContextOf(metadata), [metadata]);
  const layout = useMemo(() => formLayoutOf(object), [object]);
  const [base, setBase] = useState<{ record: RecordData | undefined; initial: FormValues }>({ record, initial });
  const old = useMemo(() => (base.record ? storedRow(input, base.record) : undefined), [input, base.record]);
  const startValues = useMemo(() => ({ ...initial, ...draft.restored?.values }), [initial, draft.restored]);
  const version = draft.restored?.version ?? record?.version;
  const [baseVersion, setBaseVersion] = useState(version);

  const { control, handleSubmit, reset, setFocus, formState } = useForm<Record<string, unknown>>({ defaultValues: startValues });
  const values = useWatch({ control }) as FormValues;
  const [submitted, setSubmitted] = useState(false);
  const [saving, setSaving] = useState(false);
  const [server, setServer] = useState<ServerAnswer | undefined>();
  const [touched, setTouched] = useState<ReadonlySet<string>>(() => new Set(changedFields(startValues, base.initial)));

  // Live: conditions, formulas and the check, all from core on the record as the server would hold it.
  const { data, formulas } = useMemo(() => formRuleState(input, values, context, old), [input, values, context, old]);
  const states = useMemo(() => layoutState(layout, (condition) => metadata.compilers.rule(condition, 'boolean')(data) === true), [layout, metadata, data]);
  const shown = useMemo(() => shownFields(states), [states]);
  const writable = useMemo(() => writableFields(object, states), [object, states]);
  const changed = useMemo(() => changedFields(values, base.initial), [values, base.initial]);
  const payload = useMemo(() => formInput(values, writable, base.initial, Boolean(base.record)), [values, writable, base.initial, base.record]);
  const check = useMemo(() => checkForm(input, payload, context, old), [input, payload, context, old]);
  const required = useMemo(() => new Set(input.userFields.filter((field) => isRequired(field)).map((field) => field.name)), [input]);

  // Drafts: every change is kept (debounced); back where it started, there is nothing to keep.
  const dirty = changed.length > 0;
  useEffect(() => {
    if (dirty) draft.keep({ ...values }, baseVersion);
    else if (draft.restored === undefined) void draft.clear();
    // draft's functions are stable per key; only the values decide.
  }, [values, dirty, baseVersion]);

  const discardOnLeave = useCallback(() => void draft.clear(), [draft]);
  const release = useLeaveGuard(dirty && !saving, discardOnLeave);

  useEffect(() => {
    window.crmForms = { browserIssues: (name, value, oldRow) => browserIssues(metadata, name, value, oldRow) };
    return () => {
      delete window.crmForms;
    };
  }, [metadata]);

  // What to show: the check's issues on fields the user has been to (all of them after a save
  // attempt; rule messages as soon as anything changed), then what the server said.
  const local = check.ok ? [] : issuesIn(check.error, locale);
  const visibleLocal = local.filter((issue) => submitted || (issue.code.startsWith('rule:') ? dirty : touched.has(issue.field ?? issue.path)));
  const placed = placeIssues([...visibleLocal, ...(server?.issues ?? [])], shown);
  const topMessages = [...placed.general, ...(server && server.issues.length === 0 && !server.conflict ? [server.message] : [])];

  // A field the layout locks shows (and sends) what the record holds, not what was typed before it locked.
  const shownValue = (name: string, readOnly: boolean): { value: unknown } | undefined =>
    name in formulas ? { value: formulas[name] } : readOnly ? { value: base.initial[name] } : undefined;
  const controllingValue = (field: ClientField): unknown => {
    const controlling = controllingFieldOf(field);
    return controlling === undefined ? undefined : values[controlling];
  };

  const noteTouched = useCallback((name: string) => setTouched((before) => (before.has(name) ? before : new Set(before).add(name))), []);
  // A server issue about a field goes once the user changes that field.
  const noteChange = useCallback(
    (name: string) => {
      noteTouched(name);
      setServer((before) => (before && before.issues.some((issue) => (issue.field ?? issue.path) === name) ? { ...before, issues: before.issues.filter((issue) => (issue.field ?? issue.path) !== name) } : before));
    },
    [noteTouched],
  );

  const discardDraft = async () => {
    await draft.clear();
    reset(base.initial);
    setTouched(new Set());
    setServer(undefined);
    setBaseVersion(base.record?.version);
  };

  const takeLatest = async () => {
    const latest = await reload?.();
    if (!latest) return;
    // Keep what the user changed on top of the record as it is now; take everything else from it.
    const nextInitial = Object.fromEntries(Object.keys(base.initial).map((name) => [name, referenceId(latest[name])]));
    const mine = Object.fromEntries(changed.map((name) => [name, values[name]]));
    reset({ ...nextInitial, ...mine });
    setBase({ record: latest, initial: nextInitial });
    setBaseVersion(latest.version);
    setServer(undefined);
  };

  const save = async () => {
    setSubmitted(true);
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
        setServer({ issues: error.fields, message: error.message, conflict: error.status === 412 });
      } else {
        setServer({ issues: [], message: error instanceof Error ? error.message : String(error), conflict: false });
      }
    } finally {
      setSaving(false);
    }
  };

  const cancel = () => void navigate(base.record ? paths.record(object.name, base.record.id) : paths.list(object.name));

  return (
    <form
      className="record-form"
      noValidate
      onKeyDown={confirmPickersWithoutSubmitting}
      onSubmit={(event) => {
        void handleSubmit(save)(event);
      }}
    >
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
      {topMessages.length > 0 && (
        <Alert
          className="record-form__notice"
          type="error"
          showIcon
          role="alert"
          title={topMessages.length === 1 ? topMessages[0] : t('forms.issues', { count: topMessages.length })}
          {...(topMessages.length > 1 ? { description: <ul className="record-form__issues">{topMessages.map((m) => <li key={m}>{m}</li>)}</ul> } : {})}
        />
      )}
      <FormLayoutView
        object={object}
        states={states}
        required={required}
        errors={placed.byField}
        singleColumn={phone}
        renderInput={({ field, id, readOnly, invalid }) => (
          <FieldSlot
            control={control}
            object={object}
            field={field}
            id={id}
            shown={shownValue(field.name, readOnly)}
            controlling={controllingValue(field)}
            disabled={readOnly || !writable.has(field.name)}
            invalid={invalid}
            onChanged={noteChange}
            onTouched={noteTouched}
          />
        )}
        inputDependencies={({ field, readOnly }) => [shownValue(field.name, readOnly)?.value, controllingValue(field), writable.has(field.name)]}
      />
      <div className={phone ? 'record-form__actions record-form__actions--phone' : 'record-form__actions'}>
        <Space>
          <Button onClick={cancel}>{t('forms.cancel')}</Button>
          <Button type="primary" htmlType="submit" loading={saving} disabled={formState.isSubmitting}>
            {base.record ? t('forms.save') : t('forms.create')}
          </Button>
        </Space>
      </div>
    </form>
  );
}
