import { Card, Col, Collapse, Form, Row } from 'antd';
import type { ReactNode } from 'react';
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
}

export function fieldInputId(object: string, field: string): string {
  return `field-${object}-${field}`;
}

/**
 * A form from a form layout: sections of 1-4 columns (one on a phone), each shown while its
 * condition holds, each field while its own does; required marks; messages under their fields.
 * It knows nothing of where values live, so the record form and the studio's preview share it.
 */
export function FormLayoutView({ object, states, required, errors = {}, singleColumn = false, renderInput }: FormLayoutViewProps) {
  const { t } = useTranslation();
  const locale = currentLocale();
  const byName = new Map(object.fields.map((field) => [field.name, field]));
  const sections = states.filter((state) => state.visible);
  return (
    <Form layout="vertical" component={false} requiredMark>
      {sections.map((state, index) => {
        const { section } = state;
        const title = section.label === undefined ? undefined : textOf(section.label, locale);
        const grid = (
          <Row gutter={[16, 0]}>
            {state.fields.map(({ placement, visible, readOnly }) => {
              const field = byName.get(placement.field);
              if (!field || !visible) return null;
              const id = fieldInputId(object.name, field.name);
              const messages = errors[field.name] ?? [];
              const span = singleColumn ? 24 : Math.min(24, Math.round((24 / section.columns) * Math.min(placement.span ?? 1, section.columns)));
              return (
                <Col key={field.name} span={span}>
                  <Form.Item
                    label={textOf(field.label, locale, field.name)}
                    htmlFor={id}
                    required={required.has(field.name)}
                    validateStatus={messages.length > 0 ? 'error' : undefined}
                    help={messages.length > 0 ? <span id={`${id}-help`}>{messages.join(' ')}</span> : undefined}
                    {...(field.help !== undefined ? { extra: textOf(field.help, locale) } : {})}
                  >
                    {renderInput({ field, id, readOnly: readOnly || field.mode === 'read_only', invalid: messages.length > 0 })}
                  </Form.Item>
                </Col>
              );
            })}
          </Row>
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
    </Form>
  );
}
