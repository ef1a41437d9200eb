/**
 * What runtime-ui offers other packages (the studio's previews): the metadata renderers, so what
 * an analyst previews is what users get. The app itself starts from main.tsx.
 */
export { FieldInput, type FieldInputProps } from './fields/FieldInput';
export { FieldValue, type FieldValueProps } from './fields/FieldValue';
export { descriptorOf } from './fields/field-widget';
export { FormLayoutView, fieldInputId, type FormLayoutViewProps, type PlacedField } from './layouts/FormLayoutView';
export { formLayoutOf, layoutState, shownFields, writableFields, type FormLayout, type SectionState, type PlacementState } from './layouts/form-layout';
export { formRuleData, liveFormulas, formRow, storedRow, type FormValues } from './layouts/form-data';
export { browserIssues, checkForm, defaultValues, ruleContextOf, type BrowserIssues } from './records/form/form-check';
