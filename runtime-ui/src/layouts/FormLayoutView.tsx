import { Card, Collapse } from 'antd';
import { memo, type ReactNode } from 'react';
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

export interface FormLayoutViewProps {
  readonly object: ClientObject;
  /** The layout's sections with their live state (layoutState). */
  readonly states: readonly SectionState[];
  /** Fields marked required (core's isRequired). */
  readonly required: ReadonlySet<string>;
  /** Messages per field, shown under it. */
  readonly errors?: Readonly<Record<string, readonly string[]>>;
  /** One column whatever the layout says (phones). */
  readonly singleColumn?: boolean;
  /** The input of a field (a react-hook-form Controller in forms, plain state in previews). */
  readonly renderInput: (placed: PlacedField) => ReactNode;
  /**
   * What a field's input shows besides its own placement (a live formula value, a controlling
   * field's value...). Given, a field re-renders only when these, its messages or its placement
   * change, and renderInput is trusted to depend on nothing else: typing into one field of 200
   * re-renders that field. Absent, every field re-renders with the form.
   */
  readonly inputDependencies?: (placed: PlacedField) => readonly unknown[];
}

interface FieldItemProps {
  readonly placed: PlacedField;
  readonly label: string;
  readonly required: boolean;
  readonly messages: string;
  readonly extra: string | undefined;
  readonly span: number;
  readonly renderInput: (placed: PlacedField) => ReactNode;
  readonly dependencies: readonly unknown[] | undefined;
}

/** One labelled field with its messages (memoised: see FormLayoutViewProps.inputDependencies). */
const FieldItem = memo(function FieldItem({ placed, label, required, messages, extra, span, renderInput }: FieldItemProps) {
  const { t } = useTranslation();
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
      {messages && (
        <div id={helpId} className="form-field__error">
          {messages}
        </div>
      )}
    </div>
  );
}, sameItem);

function sameItem(a: FieldItemProps, b: FieldItemProps): boolean {
  const same =
    a.placed.field === b.placed.field &&
    a.placed.id === b.placed.id &&
    a.placed.readOnly === b.placed.readOnly &&
    a.placed.invalid === b.placed.invalid &&
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

/**
 * A form from a form layout: sections of 1-4 columns (one on a phone), each shown while its
 * condition holds, each field while its own does; required marks; messages under their fields.
 * It knows nothing of where values live, so the record form and the studio's preview share it.
 */
export function FormLayoutView({ object, states, required, errors = {}, singleColumn = false, renderInput, inputDependencies }: FormLayoutViewProps) {
  const { t } = useTranslation();
  const locale = currentLocale();
  const byName = new Map(object.fields.map((field) => [field.name, field]));
  const sections = states.filter((state) => state.visible);
  return (
    <div className="form-layout">
      {sections.map((state, index) => {
        const { section } = state;
        const title = section.label === undefined ? undefined : textOf(section.label, locale);
        const grid = (
          <div className="form-layout__grid" style={{ gridTemplateColumns: `repeat(${singleColumn ? 1 : section.columns}, minmax(0, 1fr))` }}>
            {state.fields.map(({ placement, visible, readOnly }) => {
              const field = byName.get(placement.field);
              if (!field || !visible) return null;
              const id = fieldInputId(object.name, field.name);
              const messages = (errors[field.name] ?? []).join(' ');
              const span = singleColumn ? 1 : Math.min(placement.span ?? 1, section.columns);
              const placed: PlacedField = { field, id, readOnly: readOnly || field.mode === 'read_only', invalid: messages !== '' };
              return (
                <FieldItem
                  key={field.name}
                  placed={placed}
                  label={textOf(field.label, locale, field.name)}
                  required={required.has(field.name)}
                  messages={messages}
                  extra={field.help === undefined ? undefined : textOf(field.help, locale)}
                  span={span}
                  renderInput={renderInput}
                  dependencies={inputDependencies?.(placed)}
                />
              );
            })}
          </div>
        );
        const key = `${index}-${title ?? ''}`;
        if (section.collapsed) {
          return (
            <Collapse
              key={key}
              className="form-layout__section"
              items={[{ key: 'section', label: title ?? t('forms.moreFields'), children: grid, forceRender: true }]}
            />
          );
        }
        return (
          <Card key={key} className="form-layout__section" size="small" {...(title ? { title } : {})}>
            {grid}
          </Card>
        );
      })}
    </div>
  );
}
