import { CrmError, reason } from '../errors';
import type { FieldDefinition, FieldType } from '../documents/types';
import { autonumberType } from './autonumber';
import { booleanType } from './boolean';
import { currencyType } from './currency';
import { dateType } from './date';
import { datetimeType } from './datetime';
import { decimalFieldType } from './decimal';
import { emailType } from './email';
import type { FieldTypeModule } from './field-type';
import { formulaType } from './formula';
import { integerType } from './integer';
import { jsonType } from './json';
import { lookupType } from './lookup';
import { masterDetailType } from './master_detail';
import { multiselectType } from './multiselect';
import { percentType } from './percent';
import { phoneType } from './phone';
import { rollupType } from './rollup';
import { selectType } from './select';
import { textType } from './text';
import { textareaType } from './textarea';
import { urlType } from './url';
import { userType } from './user';

const registry: Readonly<Record<FieldType, FieldTypeModule>> = Object.freeze({
  text: textType,
  textarea: textareaType,
  email: emailType,
  phone: phoneType,
  url: urlType,
  integer: integerType as FieldTypeModule,
  decimal: decimalFieldType,
  currency: currencyType,
  percent: percentType,
  boolean: booleanType as FieldTypeModule,
  date: dateType as FieldTypeModule,
  datetime: datetimeType as FieldTypeModule,
  select: selectType as FieldTypeModule,
  multiselect: multiselectType as FieldTypeModule,
  lookup: lookupType as FieldTypeModule,
  master_detail: masterDetailType as FieldTypeModule,
  user: userType as FieldTypeModule,
  autonumber: autonumberType as FieldTypeModule,
  formula: formulaType as FieldTypeModule,
  rollup: rollupType as FieldTypeModule,
  json: jsonType as FieldTypeModule,
});

export function fieldTypeOf(def: Pick<FieldDefinition, 'type'>): FieldTypeModule {
  const module = registry[def.type];
  if (!module) throw new CrmError('metadata_invalid', { kind: 'field', summary: reason('unknown_field_type', { type: String(def.type) }) });
  return module;
}

export function allFieldTypes(): readonly FieldTypeModule[] {
  return Object.values(registry);
}

/** Types whose column is a foreign key to a record table. */
export function isRecordReference(def: FieldDefinition): def is Extract<FieldDefinition, { type: 'lookup' | 'master_detail' }> {
  return def.type === 'lookup' || def.type === 'master_detail';
}
