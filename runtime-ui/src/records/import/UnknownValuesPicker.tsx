import { Select } from 'antd';
import { useTranslation } from 'react-i18next';
import type { ClientField } from '@crm/engine/core';
import type { UiLocale } from '../../i18n/i18n';
import { textOf } from '../../metadata/labels';
import { optionsOf, type UnknownValues, type ValueChoices } from './import-plan';
import type { Sheet } from './read-sheet';

export interface UnknownValuesPickerProps {
  readonly sheet: Sheet;
  readonly fields: readonly ClientField[];
  readonly unknown: { readonly found: readonly UnknownValues[]; readonly more: number };
  readonly choices: ValueChoices;
  /** The value stands for this option's API value, or, with null, is left out. */
  readonly onChange: (column: number, value: string, option: string | null) => void;
  /** The value goes as it is, and its rows fail. */
  readonly onKeep: (column: number, value: string) => void;
}

const KEEP = 'keep';
const LEAVE_OUT = 'leave-out';
const optionKey = (index: number) => `option:${index}`;

/**
 * The values of select columns that are no option of their field, each with how many rows hold it,
 * and what the user says it means: one of the field's options, nothing, or (left as it is) a
 * failed row. A legacy file's "A类" or "Hot" becomes the option it stood for without editing the file.
 */
export function UnknownValuesPicker({ sheet, fields, unknown, choices, onChange, onKeep }: UnknownValuesPickerProps) {
  const { t, i18n } = useTranslation();
  const locale = i18n.language as UiLocale;
  return (
    <section className="import-values" aria-labelledby="import-values-title">
      <h3 id="import-values-title" className="import-values__title">
        {t('import.values.title')}
      </h3>
      <p className="import-note">{t('import.values.hint')}</p>
      {unknown.found.map(({ column, field: name, values }) => {
        const field = fields.find((f) => f.name === name);
        const options = (optionsOf(field) ?? []).filter((option) => option.active !== false);
        const fieldLabel = textOf(field?.label, locale, name);
        return (
          <div key={column} className="import-values__group">
            <div className="import-values__column">{t('import.values.column', { column: sheet.header[column], field: fieldLabel })}</div>
            {values.map(({ value, rows }) => {
              const chosen = choices[column]?.[value];
              const current = chosen === undefined ? KEEP : chosen === null ? LEAVE_OUT : optionKey(options.findIndex((option) => option.value === chosen));
              return (
                <div key={value} className="import-values__row">
                  <span className="import-values__value">
                    <span className="import-values__text">{value}</span> <span className="import-values__rows">{t('import.values.rows', { count: rows })}</span>
                  </span>
                  <Select
                    className="import-values__choice"
                    aria-label={t('import.values.for', { value, field: fieldLabel })}
                    value={current}
                    showSearch={{ optionFilterProp: 'label' }}
                    onChange={(key: string) => {
                      if (key === KEEP) onKeep(column, value);
                      else if (key === LEAVE_OUT) onChange(column, value, null);
                      else onChange(column, value, options[Number(key.slice('option:'.length))]!.value);
                    }}
                    options={[
                      { value: KEEP, label: t('import.values.keep') },
                      { value: LEAVE_OUT, label: t('import.values.leaveOut') },
                      ...options.map((option, index) => ({ value: optionKey(index), label: textOf(option.label, locale, option.value) })),
                    ]}
                  />
                </div>
              );
            })}
          </div>
        );
      })}
      {unknown.more > 0 && <p className="import-note">{t('import.values.more', { count: unknown.more })}</p>}
    </section>
  );
}
