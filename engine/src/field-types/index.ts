export {
  fieldTypeOf,
  allFieldTypes,
  isFieldType,
  isRecordReference,
  referenceOf,
  recordReferenceOf,
  computationOf,
  aggregateOf,
  expressionOf,
  initialValueOf,
} from './registry';
export type {
  FieldTypeModule,
  Storage,
  ColumnType,
  Capabilities,
  FieldReference,
  Computation,
  DefinitionRename,
  ClientFieldDescriptor,
  Normalized,
  ValueIssue,
  TypeContext,
  DefinitionIssue,
} from './field-type';
export { parseAutonumberPattern, formatAutonumber, type AutonumberFormat } from './autonumber';
export { castFormulaResult } from './formula';
