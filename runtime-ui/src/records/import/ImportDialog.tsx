import { DownloadOutlined, InboxOutlined } from '@ant-design/icons';
import { Alert, Button, Checkbox, Modal, Progress, Select, Table } from 'antd';
import { useQueryClient } from '@tanstack/react-query';
import { useMemo, useRef, useState, type DragEvent } from 'react';
import { useTranslation } from 'react-i18next';
import type { ClientObject } from '@crm/engine/core';
import { ApiError } from '../../api/client';
import { useReturnFocus } from '../../app/use-return-focus';
import type { UiLocale } from '../../i18n/i18n';
import { textOf } from '../../metadata/labels';
import { recordKeys } from '../record-api';
import { columnSamples, failedRowsCsv, IMPORT_PART_ROWS, importableFields, matchColumns, matchingFields, runImport, templateCsv, TooLargeForImport, unknownOptionValues, type ImportOutcome, type ValueChoices } from './import-plan';
import { UnknownValuesPicker } from './UnknownValuesPicker';
import { readSheet, SheetProblem, type Sheet } from './read-sheet';
import './import.css';

export interface ImportDialogProps {
  readonly object: ClientObject;
  readonly open: boolean;
  /** A phone's narrow dialog leaves out the column of example values. */
  readonly phone: boolean;
  readonly onClose: () => void;
}

type Step =
  | { readonly kind: 'file' }
  | { readonly kind: 'columns'; readonly sheet: Sheet }
  | { readonly kind: 'running'; readonly sheet: Sheet; readonly done: number; readonly stopping: boolean }
  | { readonly kind: 'done'; readonly sheet: Sheet; readonly outcome: ImportOutcome };

/** Saves text as a file the browser downloads (a CSV the user fixes and imports again). */
function download(name: string, text: string) {
  const url = URL.createObjectURL(new Blob([text], { type: 'text/csv;charset=utf-8' }));
  const link = document.createElement('a');
  link.href = url;
  link.download = name;
  link.click();
  setTimeout(() => URL.revokeObjectURL(url), 1000);
}

/**
 * Import from a CSV or an .xlsx in three steps: the file; its columns matched to fields (by API
 * name or label, as the API reads them; each can be changed or left out) and how to write (add,
 * or update by a unique field; all or nothing); then what happened, with the rows that failed to
 * download, fix and import again. The API does the writing: every row goes through the write
 * pipeline (rules, workflows, permissions) and names in cells are looked up there.
 */
export default function ImportDialog({ object, open, phone, onClose }: ImportDialogProps) {
  const { t, i18n } = useTranslation();
  const locale = i18n.language as UiLocale;
  const client = useQueryClient();
  const [step, setStep] = useState<Step>({ kind: 'file' });
  const [problem, setProblem] = useState<string | undefined>(undefined);
  const [mapping, setMapping] = useState<(string | null)[]>([]);
  const [choices, setChoices] = useState<ValueChoices>({});
  const [matchBy, setMatchBy] = useState<string | null>(null);
  const [allOrNothing, setAllOrNothing] = useState(false);
  const [dragging, setDragging] = useState(false);
  const input = useRef<HTMLInputElement>(null);
  const stop = useRef<AbortController | null>(null);
  const focus = useReturnFocus(open, undefined, 'import-file');
  const fields = useMemo(() => importableFields(object), [object]);
  const sheetShown = step.kind === 'file' ? undefined : step.sheet;
  const samples = useMemo(() => (sheetShown ? columnSamples(sheetShown) : []), [sheetShown]);
  const unique = useMemo(() => matchingFields(object), [object]);
  const unknown = useMemo(() => (step.kind === 'columns' ? unknownOptionValues(fields, step.sheet, mapping) : { found: [], more: 0 }), [fields, step, mapping]);
  const label = (name: string) => textOf(fields.find((f) => f.name === name)?.label, locale, name);
  const objectLabel = textOf(object.plural_label ?? object.label, locale, object.name);

  const reset = () => {
    setStep({ kind: 'file' });
    setProblem(undefined);
    setMatchBy(null);
    setAllOrNothing(false);
    if (input.current) input.current.value = '';
  };
  const close = () => {
    if (step.kind === 'running') return;
    onClose();
    // After the closing motion, so the dialog does not visibly jump back to its first step.
    setTimeout(reset, 300);
  };

  const pick = async (file: File | undefined) => {
    if (!file) return;
    setProblem(undefined);
    try {
      const sheet = await readSheet(file);
      setMapping(matchColumns(fields, sheet.header));
      setChoices({});
      setStep({ kind: 'columns', sheet });
    } catch (error) {
      setProblem(error instanceof SheetProblem ? t(`import.problems.${error.key}`, error.values) : t('import.problems.unreadable'));
      if (input.current) input.current.value = '';
    }
  };

  const start = async (sheet: Sheet) => {
    setProblem(undefined);
    setStep({ kind: 'running', sheet, done: 0, stopping: false });
    const controller = new AbortController();
    stop.current = controller;
    try {
      const outcome = await runImport(object, sheet, { mapping, matchBy, allOrNothing, choices, fields }, { signal: controller.signal, onProgress: (done) => setStep((now) => (now.kind === 'running' ? { ...now, done } : now)) });
      if (outcome.committed && outcome.summary.created + outcome.summary.updated > 0) await client.invalidateQueries({ queryKey: recordKeys.all(object.name) });
      setStep({ kind: 'done', sheet, outcome });
    } catch (error) {
      setProblem(
        error instanceof TooLargeForImport
          ? t('import.problems.tooLarge')
          : error instanceof ApiError
            ? [error.message, ...error.fields.map((issue) => issue.message)].filter((text, index, all) => all.indexOf(text) === index).join(' ')
            : String(error),
      );
      setStep({ kind: 'columns', sheet });
    } finally {
      stop.current = null;
    }
  };
  const stopImport = () => {
    stop.current?.abort();
    setStep((now) => (now.kind === 'running' ? { ...now, stopping: true } : now));
  };

  const onDrop = (event: DragEvent) => {
    event.preventDefault();
    setDragging(false);
    void pick(event.dataTransfer.files[0]);
  };

  const title = t('import.title', { object: objectLabel });
  let body: React.ReactNode;
  let footer: React.ReactNode;
  if (step.kind === 'file') {
    body = (
      <>
        <label
          htmlFor="import-file"
          className={`import-drop${dragging ? ' is-dragging' : ''}`}
          onDragOver={(event) => (event.preventDefault(), setDragging(true))}
          onDragLeave={() => setDragging(false)}
          onDrop={onDrop}
        >
          <InboxOutlined className="import-drop__icon" aria-hidden />
          <span className="import-drop__title">{t('import.choose')}</span>
          <span className="import-drop__hint">{t('import.kinds')}</span>
          <input id="import-file" ref={input} type="file" className="import-drop__input" accept=".csv,.xlsx,text/csv,application/vnd.openxmlformats-officedocument.spreadsheetml.sheet" onChange={(event) => void pick(event.target.files?.[0])} />
        </label>
        <p className="import-note">{t('import.howNamed')}</p>
        <Button type="link" icon={<DownloadOutlined />} className="import-template" onClick={() => download(`${objectLabel}.csv`, templateCsv(object, locale))}>
          {t('import.template')}
        </Button>
      </>
    );
    footer = <Button onClick={close}>{t('import.cancel')}</Button>;
  } else if (step.kind === 'running') {
    const { sheet } = step;
    body = <ImportProgress fileName={sheet.fileName} done={step.done} total={sheet.rows.length} atOnce={allOrNothing} />;
    footer = (
      <>
        {/* All or nothing is one transaction: there is no point at which to stop it. */}
        {!allOrNothing && (
          <Button onClick={stopImport} disabled={step.stopping}>
            {step.stopping ? t('import.stopping') : t('import.stop')}
          </Button>
        )}
        <Button type="primary" loading>
          {t('import.start', { count: sheet.rows.length })}
        </Button>
      </>
    );
  } else if (step.kind === 'columns') {
    const { sheet } = step;
    const used = new Set(mapping.filter((name): name is string => name !== null));
    const mapped = mapping.filter((name) => name !== null).length;
    const rows = sheet.header.map((column, index) => ({ key: index, column, index }));
    body = (
      <>
        <p className="import-file-name">{t('import.fileRows', { name: sheet.fileName, count: sheet.rows.length })}</p>
        <Table
          className="import-columns"
          size="small"
          pagination={false}
          dataSource={rows}
          scroll={{ y: 320 }}
          columns={[
            { key: 'column', title: t('import.column'), render: (_, row) => <span className="import-columns__name">{row.column}</span> },
            ...(phone ? [] : [{ key: 'sample', title: t('import.sample'), render: (_: unknown, row: (typeof rows)[number]) => <span className="import-columns__sample">{samples[row.index]}</span> }]),
            {
              key: 'field',
              title: t('import.field'),
              width: phone ? '55%' : '40%',
              render: (_, row) => (
                <Select
                  className="import-columns__field"
                  aria-label={t('import.fieldFor', { column: row.column })}
                  value={mapping[row.index] ?? ''}
                  showSearch={{ optionFilterProp: 'label' }}
                  onChange={(value: string) => {
                    setMapping(mapping.map((name, index) => (index === row.index ? value || null : name)));
                    // What the column's values meant for the field it went into says nothing of another field.
                    setChoices(Object.fromEntries(Object.entries(choices).filter(([column]) => Number(column) !== row.index)));
                  }}
                  options={[
                    { value: '', label: t('import.skip') },
                    ...fields.map((field) => ({ value: field.name, label: label(field.name), disabled: used.has(field.name) && mapping[row.index] !== field.name })),
                  ]}
                />
              ),
            },
          ]}
        />
        <div className="import-options">
          <label htmlFor="import-mode">{t('import.mode')}</label>
          <Select
            id="import-mode"
            value={matchBy ?? ''}
            onChange={(value: string) => setMatchBy(value || null)}
            options={[{ value: '', label: t('import.addAll') }, ...unique.map((field) => ({ value: field.name, label: t('import.updateBy', { field: label(field.name) }) }))]}
          />
          <Checkbox checked={allOrNothing} onChange={(event) => setAllOrNothing(event.target.checked)}>
            {t('import.allOrNothing')}
          </Checkbox>
        </div>
        {unknown.found.length > 0 && (
          <UnknownValuesPicker
            sheet={sheet}
            fields={fields}
            unknown={unknown}
            choices={choices}
            onChange={(column, value, option) => setChoices({ ...choices, [column]: { ...choices[column], [value]: option } })}
            onKeep={(column, value) => {
              const { [value]: _dropped, ...rest } = choices[column] ?? {};
              setChoices({ ...choices, [column]: rest });
            }}
          />
        )}
        {matchBy && !used.has(matchBy) && <Alert type="warning" showIcon title={t('import.matchColumnMissing', { field: label(matchBy) })} />}
        {problem && <Alert type="error" showIcon title={problem} role="alert" />}
      </>
    );
    footer = (
      <>
        <Button onClick={reset}>{t('import.back')}</Button>
        <Button type="primary" disabled={mapped === 0 || (matchBy !== null && !used.has(matchBy))} onClick={() => void start(sheet)}>
          {t('import.start', { count: sheet.rows.length })}
        </Button>
      </>
    );
  } else {
    const { sheet, outcome } = step;
    const { summary, committed, unsent } = outcome;
    const failedRows = outcome.failed;
    const notImported = unsent ? [...failedRows, ...sheet.rows.slice(unsent.from).map((_, index) => ({ row: unsent.from + index, problem: t('import.notSent') }))] : failedRows;
    // A failed row is named by its title cell (or its first), as the person knows it from the file.
    const nameColumn = Math.max(0, mapping.indexOf(object.title_field ?? ''));
    body = (
      <div className="import-outcome" aria-live="polite">
        <Alert
          type={summary.failed === 0 ? 'success' : committed && summary.created + summary.updated > 0 ? 'warning' : 'error'}
          showIcon
          title={committed ? t('import.outcome', { created: summary.created, updated: summary.updated, failed: summary.failed }) : t('import.rolledBack', { count: summary.failed })}
        />
        {unsent && (
          <Alert
            type="warning"
            showIcon
            title={
              unsent.error === undefined
                ? t('import.stopped', { count: sheet.rows.length - unsent.from, row: unsent.from + 2 })
                : t('import.interrupted', { count: sheet.rows.length - unsent.from, row: unsent.from + 2, problem: unsent.error instanceof ApiError ? unsent.error.message : t('import.connectionLost') })
            }
          />
        )}
        {failedRows.length > 0 && (
          <Table
            className="import-failures"
            size="small"
            pagination={false}
            scroll={{ y: 280 }}
            dataSource={failedRows.map((failure, index) => ({ key: index, ...failure }))}
            columns={[
              { key: 'row', title: t('import.row'), width: 64, render: (_, failure) => (failure.row >= 0 ? failure.row + 2 : '') },
              ...(phone ? [] : [{ key: 'name', title: sheet.header[nameColumn], width: '28%', render: (_: unknown, failure: (typeof failedRows)[number]) => (failure.row >= 0 ? sheet.rows[failure.row]![nameColumn] : '') }]),
              { key: 'problem', title: t('import.problem'), render: (_, failure) => failure.problem },
            ]}
          />
        )}
      </div>
    );
    footer = (
      <>
        {notImported.length > 0 && (
          <Button icon={<DownloadOutlined />} onClick={() => download(t('import.failedFile', { name: sheet.fileName.replace(/\.(csv|xlsx|txt)$/i, '') }), failedRowsCsv(sheet, notImported, t('import.problem')))}>
            {t('import.downloadFailed')}
          </Button>
        )}
        <Button onClick={reset}>{t('import.another')}</Button>
        <Button type="primary" onClick={close}>
          {t('import.done')}
        </Button>
      </>
    );
  }

  return (
    <Modal open={open} {...focus} title={title} width={step.kind === 'file' ? 560 : 760} onCancel={close} closable={step.kind !== 'running'} keyboard={step.kind !== 'running'} maskClosable={false} footer={footer} destroyOnHidden={false} className="import-dialog">
      {body}
      {step.kind === 'file' && problem && <Alert type="error" showIcon title={problem} role="alert" />}
    </Modal>
  );
}

/**
 * How far an import is: rows answered of the file's, by the part; all or nothing is one request
 * (one transaction), so it can only say that it runs.
 */
function ImportProgress({ fileName, done, total, atOnce }: { readonly fileName: string; readonly done: number; readonly total: number; readonly atOnce: boolean }) {
  const { t } = useTranslation();
  return (
    <div className="import-progress" role="status">
      <p className="import-file-name">{t('import.fileRows', { name: fileName, count: total })}</p>
      {atOnce ? (
        <Progress percent={100} status="active" showInfo={false} aria-hidden />
      ) : (
        <Progress percent={Math.floor((done / total) * 100)} status="active" aria-hidden />
      )}
      <p className="import-progress__text">{atOnce ? t('import.running', { count: total }) : t('import.progress', { done, count: total })}</p>
      <p className="import-note">{atOnce ? t('import.runningAtOnce') : t('import.runningInParts', { count: IMPORT_PART_ROWS })}</p>
    </div>
  );
}
