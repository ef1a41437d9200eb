import { CrmError, reason } from '../errors';
import type { FieldDefinition, FieldType, RollupField } from '../documents/types';
import { autonumberType } from './autonumber';
import { booleanType } from './boolean';
import { currencyType } from './currency';
import { dateType } from './date';
import { datetimeType } from './datetime';
import { decimalFieldType } from './decimal';
import { emailType } from './email';
import type { Computation, FieldReference, FieldTypeModule } from './field-type';
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

/** A type name this engine knows (input not yet validated may name others). */
export function isFieldType(type: unknown): type is FieldType {
  return typeof type === 'string' && Object.hasOwn(registry, type);
}

export function allFieldTypes(): readonly FieldTypeModule[] {
  return Object.values(registry);
}

/** What the field's value points at, if anything. */
export function referenceOf(def: FieldDefinition): FieldReference | undefined {
  return fieldTypeOf(def).reference?.(def);
}

/** The record the field's value points at (lookup, master_detail), if any. */
export function recordReferenceOf(def: FieldDefinition): Extract<FieldReference, { to: 'record' }> | undefined {
  const reference = referenceOf(def);
  return reference?.to === 'record' ? reference : undefined;
}

/** Fields whose column is a foreign key to a record table. */
export function isRecordReference(def: FieldDefinition): boolean {
  return recordReferenceOf(def) !== undefined;
}

/** How the field's value is computed, if it is. */
export function computationOf(def: FieldDefinition): Computation | undefined {
  return fieldTypeOf(def).computed?.(def);
}

/** The rollup a field computes, if it is one. */
export function aggregateOf(def: FieldDefinition): RollupField | undefined {
  const computation = computationOf(def);
  return computation?.kind === 'aggregate' ? computation.rollup : undefined;
}

/** The expression a field is computed from on read, if it is. */
export function expressionOf(def: FieldDefinition): unknown {
  const computation = computationOf(def);
  return computation?.kind === 'expression' ? computation.expression : undefined;
}

/** The value a new record starts with for this field (undefined: none). */
export function initialValueOf(def: FieldDefinition): unknown {
  return fieldTypeOf(def).initialValue?.(def);
}
