import { CheckOutlined, CloseOutlined, EditOutlined } from '@ant-design/icons';
import { useMutation } from '@tanstack/react-query';
import type { ClientField, ClientObject } from '@crm/engine/core';
import { App, Button, Space } from 'antd';
import { useEffect, useId, useRef, useState, type FormEvent } from 'react';
import { useTranslation } from 'react-i18next';
import { ApiError } from '../../api/client';
import { FieldInput } from '../../fields/FieldInput';
import { FieldValue } from '../../fields/FieldValue';
import { currentLocale } from '../../i18n/i18n';
import { textOf } from '../../metadata/labels';
import { updateRecord, type RecordData } from '../record-api';
import { refusalText } from '../refusal';
import { plainRecord } from './record-values';

export interface InlineFieldProps {
  readonly object: ClientObject;
  readonly field: ClientField;
  readonly record: RecordData;
  /** Whether this field may be edited here (permissions, mode, approval lock). */
  readonly editable: boolean;
  /** The saved record (the page replaces its copy). */
  readonly onSaved: (record: RecordData) => void;
  /** Someone changed the record, or submitted it for approval, meanwhile: the page reloads it. */
  readonly onConflict: () => void;
}

/**
 * A labelled value with a pencil: the field's input in place, saved alone with PATCH and
 * If-Match. A 412 says someone else changed the record and reloads it; a field issue from the
 * server shows under the input.
 */
export function InlineField({ object, field, record, editable, onSaved, onConflict }: InlineFieldProps) {
  const { t } = useTranslation();
  const { message } = App.useApp();
  const inputId = useId();
  const [editing, setEditing] = useState(false);
  const [draft, setDraft] = useState<unknown>(null);
  const [problem, setProblem] = useState<string | undefined>();
  const label = textOf(field.label, currentLocale(), field.name);
  // Keyboard users stay where they were: into the input on edit, back to the pencil when done.
  const pencil = useRef<HTMLButtonElement>(null);
  const wasEditing = useRef(false);
  useEffect(() => {
    if (editing) document.getElementById(inputId)?.focus();
    else if (wasEditing.current) pencil.current?.focus();
    wasEditing.current = editing;
  }, [editing, inputId]);

  const save = useMutation({
    mutationFn: (value: unknown) => updateRecord(object.name, record.id, record.version, { [field.name]: value }),
    onSuccess: (saved) => {
      setEditing(false);
      setProblem(undefined);
      onSaved(saved);
    },
    onError: (error: Error) => {
      if (error instanceof ApiError && error.status === 412) {
        setEditing(false);
        void message.warning(t('record.conflict'), 6);
        onConflict();
        return;
      }
      if (error instanceof ApiError && error.code === 'record_locked') {
        // Submitted for approval since the page was read: reloading shows the lock and takes the pencils away.
        setEditing(false);
        void message.warning(refusalText(error, t), 6);
        onConflict();
        return;
      }
      const issue = error instanceof ApiError ? error.fields.find((f) => f.path === field.name || f.field === field.name) : undefined;
      setProblem(issue?.message ?? refusalText(error, t));
    },
  });

  const start = () => {
    setDraft(plainRecord(object, record)[field.name] ?? null);
    setProblem(undefined);
    setEditing(true);
  };
  const submit = (event: FormEvent) => {
    event.preventDefault();
    save.mutate(draft);
  };

  return (
    <div className={`detail-field${editing ? ' detail-field--editing' : ''}`}>
      <div className="detail-field__label" id={`${inputId}-label`}>
        {editing ? <label htmlFor={inputId}>{label}</label> : label}
      </div>
      {editing ? (
        <form className="detail-field__form" onSubmit={submit} onKeyDown={(event) => event.key === 'Escape' && setEditing(false)}>
          <div className="detail-field__input">
            <FieldInput object={object} field={field} id={inputId} value={draft} onChange={setDraft} values={plainRecord(object, record)} invalid={Boolean(problem)} />
            {problem && (
              <div className="detail-field__error" role="alert">
                {problem}
              </div>
            )}
          </div>
          <Space size={4}>
            <Button htmlType="submit" type="primary" className="record-touch" icon={<CheckOutlined />} loading={save.isPending} aria-label={t('record.saveField', { field: label })} />
            <Button className="record-touch" icon={<CloseOutlined />} onClick={() => setEditing(false)} aria-label={t('record.cancelField', { field: label })} />
          </Space>
        </form>
      ) : (
        <div className="detail-field__value">
          <span className="detail-field__text">
            <FieldValue object={object} field={field} value={record[field.name]} record={record} />
          </span>
          {editable && (
            <Button ref={pencil} type="text" size="small" className="detail-field__edit record-touch" icon={<EditOutlined />} onClick={start} aria-label={t('record.editField', { field: label })} />
          )}
        </div>
      )}
    </div>
  );
}
