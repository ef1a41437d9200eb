import { Card, Collapse } from 'antd';
import { memo, useCallback, useMemo, useSyncExternalStore, type ReactNode } from 'react';
import { useTranslation } from 'react-i18next';
import type { ClientField, ClientObject } from '@crm/engine/core';
import { currentLocale } from '../i18n/i18n';
import { textOf } from '../metadata/labels';
import type { SectionState } from './form-layout';
import './form-layout.css';

/** What the renderer tells the page about one field it places. */
export interface PlacedField {
  readonly field: ClientField;
  /** The input's element id (its label points at it). */
  readonly id: string;
  /** Locked by the layout or the field's mode for this user. */
  readonly readOnly: boolean;
  readonly invalid: boolean;
}

/**
 * Where the messages under fields come from, read per field: a live form's store (each field
 * re-renders when its own message changes) or a fixed record of messages (previews).
 */
export interface FieldMessages {
  /** Calls `listener` when the messages of `field` may have changed. */
  readonly subscribe: (listener: () => void, field: string) => () => void;
  /** The messages under a field, joined ('' for none). */
  readonly get: (field: string) => string;
}

const NO_ERRORS: Readonly<Record<string, readonly string[]>> = {};
const unchanging = () => () => undefined;

export interface FormLayoutViewProps {
  readonly object: ClientObject;
  /** The layout's sections with their live state (layoutState). */
  readonly states: readonly SectionState[];
  /** Fields marked required (core's isRequired). */
  readonly required: ReadonlySet<string>;
  /** Messages per field, shown under it. */
  readonly errors?: Readonly<Record<string, readonly string[]>>;
  /** Messages per field from a live source (instead of `errors`). */
  readonly messages?: FieldMessages;
  /** One column whatever the layout says (phones). */
  readonly singleColumn?: boolean;
  /** The input of a field (a react-hook-form Controller in forms, plain state in previews). */
  readonly renderInput: (placed: PlacedField) => ReactNode;
  /**
   * What a field's input shows besides its own placement (a live formula value, a controlling
   * field's value...). Given, a field re-renders only when these, its messages or its placement
   * change, and renderInput is trusted to depend on nothing else: typing into one field of 200
   * re-renders that field. Absent, a field re-renders when renderInput is a new function.
   */
  readonly inputDependencies?: (placed: PlacedField) => readonly unknown[];
  /**
   * Given, each section's fields are a `<form>` of their own that submits through this (Enter in
   * a lone field). Chrome's autofill reads the whole form of a field on every keystroke: 200
   * fields in one form cost about 6 ms a key, a section's 20 about 1 ms.
   */
  readonly onSubmit?: () => void;
}

interface FieldItemProps {
  /** The field's placement; `invalid` is set from its messages. */
  readonly placed: Omit<PlacedField, 'invalid'>;
  readonly label: string;
  readonly required: boolean;
  readonly messages: FieldMessages;
  readonly extra: string | undefined;
  readonly span: number;
  readonly renderInput: (placed: PlacedField) => ReactNode;
  readonly dependencies: readonly unknown[] | undefined;
}

/** One labelled field with its messages (memoised: see FormLayoutViewProps.inputDependencies). */
const FieldItem = memo(function FieldItem({ placed: where, label, required, messages: source, extra, span, renderInput }: FieldItemProps) {
  const { t } = useTranslation();
  const name = where.field.name;
  const subscribe = useCallback((listener: () => void) => source.subscribe(listener, name), [source, name]);
  const messages = useSyncExternalStore(subscribe, () => source.get(name));
  const placed = useMemo(() => ({ ...where, invalid: messages !== '' }), [where, messages]);
  const helpId = `${placed.id}-help`;
  // Plain markup rather than antd's Form.Item: its form and row contexts re-render every field of
  // the form on each keystroke; the inputs show their error state themselves (`invalid`).
  return (
    <div className={messages ? 'form-field form-field--error' : 'form-field'} style={span > 1 ? { gridColumn: `span ${span}` } : undefined}>
      <label className="form-field__label" htmlFor={placed.id}>
        {required && (
          <span className="form-field__required" aria-hidden="true">
            *
          </span>
        )}
        {label}
        {required && <span className="visually-hidden">{t('forms.required')}</span>}
      </label>
      {renderInput(placed)}
      {extra !== undefined && <div className="form-field__extra">{extra}</div>}
      {/* The message's line is kept whether or not there is one (as antd's Form.Item keeps it):
          a message coming or going moves nothing below it. */}
      <div className="form-field__help">
        {messages && (
          <div id={helpId} className="form-field__error">
            {messages}
          </div>
        )}
      </div>
    </div>
  );
}, sameItem);

function sameItem(a: FieldItemProps, b: FieldItemProps): boolean {
  const same =
    a.placed.field === b.placed.field &&
    a.placed.id === b.placed.id &&
    a.placed.readOnly === b.placed.readOnly &&
    a.label === b.label &&
    a.required === b.required &&
    a.messages === b.messages &&
    a.extra === b.extra &&
    a.span === b.span;
  if (!same) return false;
  if (a.dependencies === undefined || b.dependencies === undefined) return a.renderInput === b.renderInput && a.dependencies === b.dependencies;
  return a.dependencies.length === b.dependencies.length && a.dependencies.every((value, i) => Object.is(value, b.dependencies![i]));
}

export function fieldInputId(object: string, field: string): string {
  return `field-${object}-${field}`;
}

/** What a section shows: its frame and each field's item props (compared to skip unchanged sections). */
interface SectionViewProps {
  readonly section: SectionState['section'];
  readonly title: string | undefined;
  readonly columns: number;
  readonly items: readonly FieldItemProps[];
  readonly moreFields: string;
  readonly onSubmit: (() => void) | undefined;
}

/**
 * One section, memoised on its fields' items: typing re-renders the section typed into (its
 * antd Card or Collapse and grid), not the other nine of a long form.
 */
const SectionView = memo(function SectionView({ section, title, columns, items, moreFields, onSubmit }: SectionViewProps) {
  const fields = (
    <div className="form-layout__grid" style={{ gridTemplateColumns: `repeat(${columns}, minmax(0, 1fr))` }}>
      {items.map((item) => (
        <FieldItem key={item.placed.field.name} {...item} />
      ))}
    </div>
  );
  const grid = onSubmit ? (
    <form
      className="form-layout__form"
      noValidate
      onSubmit={(event) => {
        event.preventDefault();
        onSubmit();
      }}
    >
      {fields}
    </form>
  ) : (
    fields
  );
  if (section.collapsed) {
    return <Collapse className="form-layout__section" items={[{ key: 'section', label: title ?? moreFields, children: grid, forceRender: true }]} />;
  }
  return (
    <Card className="form-layout__section" size="small" {...(title ? { title } : {})}>
      {grid}
    </Card>
  );
}, sameSection);

function sameSection(a: SectionViewProps, b: SectionViewProps): boolean {
  return (
    a.section === b.section &&
    a.title === b.title &&
    a.columns === b.columns &&
    a.moreFields === b.moreFields &&
    a.onSubmit === b.onSubmit &&
    a.items.length === b.items.length &&
    a.items.every((item, i) => sameItem(item, b.items[i]!))
  );
}

/**
 * A form from a form layout: sections of 1-4 columns (one on a phone), each shown while its
 * condition holds, each field while its own does; required marks; messages under their fields.
 * It knows nothing of where values live, so the record form and the studio's preview share it.
 */
export function FormLayoutView({ object, states, required, errors = NO_ERRORS, messages, singleColumn = false, renderInput, inputDependencies, onSubmit }: FormLayoutViewProps) {
  const { t } = useTranslation();
  const locale = currentLocale();
  const byName = useMemo(() => new Map(object.fields.map((field) => [field.name, field])), [object]);
  const fixed = useMemo<FieldMessages>(() => ({ subscribe: unchanging, get: (name) => (errors[name] ?? []).join(' ') }), [errors]);
  const source = messages ?? fixed;
  const sections = states.filter((state) => state.visible);
  return (
    <div className="form-layout">
      {sections.map((state, index) => {
        const { section } = state;
        const title = section.label === undefined ? undefined : textOf(section.label, locale);
        const items: FieldItemProps[] = [];
        for (const { placement, visible, readOnly } of state.fields) {
          const field = byName.get(placement.field);
          if (!field || !visible) continue;
          const id = fieldInputId(object.name, field.name);
          const placed = { field, id, readOnly: readOnly || field.mode === 'read_only' };
          items.push({
            placed,
            label: textOf(field.label, locale, field.name),
            required: required.has(field.name),
            messages: source,
            extra: field.help === undefined ? undefined : textOf(field.help, locale),
            span: singleColumn ? 1 : Math.min(placement.span ?? 1, section.columns),
            renderInput,
            dependencies: inputDependencies?.({ ...placed, invalid: source.get(field.name) !== '' }),
          });
        }
        return <SectionView key={`${index}-${title ?? ''}`} section={section} title={title} columns={singleColumn ? 1 : section.columns} items={items} moreFields={t('forms.moreFields')} onSubmit={onSubmit} />;
      })}
    </div>
  );
}
