import { fieldTypeOf, type ClientField, type ClientObject } from '@crm/engine/core';
import { Card, Collapse } from 'antd';
import { useTranslation } from 'react-i18next';
import { currentLocale } from '../../i18n/i18n';
import { textOf } from '../../metadata/labels';
import type { RecordData } from '../record-api';
import type { DetailSection } from './detail-layout';
import { InlineField } from './InlineField';

export interface DetailBodyProps {
  readonly object: ClientObject;
  readonly record: RecordData;
  readonly sections: readonly DetailSection[];
  /** Whether the record may be edited at all (edit permission, not locked by an approval). */
  readonly editable: boolean;
  readonly onSaved: (record: RecordData) => void;
  readonly onConflict: () => void;
}

/** Fields a user may change in place: editable for them and written by users (not formulas, rollups, autonumbers). */
export function inlineEditable(field: ClientField): boolean {
  return field.mode === 'editable' && fieldTypeOf(field).capabilities.input;
}

/** The detail layout's sections as grids of labelled values (one column on a phone, by CSS). */
export function DetailBody({ object, record, sections, editable, onSaved, onConflict }: DetailBodyProps) {
  const { t } = useTranslation();
  const locale = currentLocale();
  const grid = (section: DetailSection) => (
    <div className="detail-grid" style={{ ['--detail-columns' as string]: section.columns }}>
      {section.cells.map(({ field, span }) => (
        <div key={field.name} className="detail-grid__cell" style={{ ['--detail-span' as string]: span }}>
          <InlineField object={object} field={field} record={record} editable={editable && inlineEditable(field)} onSaved={onSaved} onConflict={onConflict} />
        </div>
      ))}
    </div>
  );
  return (
    <>
      {sections.map((section) => {
        const title = section.label ? textOf(section.label, locale) : sections.length === 1 ? t('record.details') : undefined;
        if (section.collapsed)
          return (
            <Collapse
              key={section.key}
              className="record-section"
              items={[{ key: section.key, label: title ?? t('record.more'), children: grid(section) }]}
            />
          );
        return (
          <Card key={section.key} size="small" className="record-section" {...(title ? { title } : {})}>
            {grid(section)}
          </Card>
        );
      })}
    </>
  );
}
