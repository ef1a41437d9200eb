export { fieldTypeOf, allFieldTypes, isRecordReference } from './registry';
export type {
  FieldTypeModule,
  Storage,
  ColumnType,
  Capabilities,
  ClientFieldDescriptor,
  Normalized,
  ValueIssue,
  TypeContext,
  DefinitionIssue,
} from './field-type';
export { parseAutonumberPattern, formatAutonumber, type AutonumberFormat } from './autonumber';
export { castFormulaResult } from './formula';
