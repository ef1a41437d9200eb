/**
 * `@crm/engine/core`: what the server and the browsers share, so a form validates, computes
 * formulas and shows rule errors exactly as the API does. Everything reachable from here is
 * browser-safe (no Node built-ins, no database, no server code): core/browser-bundle.test.ts
 * bundles it for the browser and fails otherwise. Rules and schemas become functions through
 * injected Compilers (compilers.ts), so a page under `script-src 'self'` can run generated
 * modules instead of eval.
 */

// Metadata documents: their types, labels, API-name rules and JSON Schemas.
export * from '../documents/types';
export { i18nTextSchema, type I18nText } from '../documents/i18n';
export { API_NAME_PATTERN, SYSTEM_COLUMNS, apiNameProblem, assertApiName, type NameKind } from '../metadata/names';
export { objectSchema, fieldSchema, layoutSchema, viewSchema, validationRuleSchema, roleSchema } from '../metadata/schemas';
export type { JsonSchema } from '../documents/json-schema';
export { systemFieldDefinitions } from './system-fields';

// Field types: one module per type (JSON Schema, coercion, normalisation, client descriptor).
export * from '../field-types';

// JSON-Logic: validation and the JavaScript compiler (the SQL half is server-only), and scopes.
export * from '../rules';
export { mapRuleVarPaths } from '../rules/var-paths';
export { contextData, contextValue, fieldsScope, ruleReads, type RuleContext, type ScopeOptions } from './rule-scope';
export { OLD_PREFIX, fieldOfPath, validationRuleScope } from './validation-rule-scope';

// The error catalogue and its messages in en and zh-CN.
export * from '../errors';
export { LOCALES, type LocalizedMessage } from '../errors/catalogue';

// Checking a record input: compile an object from its documents, then check inputs against it.
export { ruleKey, schemaKey, type Compilers, type RuleMode, type SchemaError, type SchemaValidateFunction } from './compilers';
export { compileField, compileInputObject, inputCompilations, type InputCompilations, type InputObjectDocuments } from './input-object';
export type { CompiledDefault, CompiledField, CompiledFormula, EvaluateRule, InputObject } from './compiled';
export type { CompiledValidationRule } from './compile-validation-rules';
export { isRequired, recordInputSchema } from './record-input';
export { checkRecordInput, type RecordInputOptions, type RecordInputResult, type RecordRow } from './check-record-input';
export { nameFieldsByLabel } from './field-labels';
export { labelReadsAs } from './label-match';
export { computeFormulas, ruleData, outputRecord, type RecordData } from './representation';
export { exactDecimal, valueText, type ValueTextOptions } from './value-text';

// The client projection (GET /api/meta/client) and the browser's way to check input under
// `script-src 'self'`: load the revision's generated module (its `rules_module`), make Compilers
// of it, compile each projected object's documents, then check inputs.
export type * from './client-projection-types';
export { GLOBAL_SEARCH_MAX_TEXT, type ObjectHits, type SearchHit } from './search-hits';
export { SAVED_VIEW_LIMITS, type DroppedPart, type SavedView, type SavedViewDefinition } from '../views/personal/saved-view-types';
export { clientCompilations, inputDocumentsOf, layoutConditionsOf } from './client-documents';
export { moduleCompilers, moduleRuntime, type ModuleCompilers, type StandaloneModule } from './module-compilers';

// What the API answers about approvals, notifications, workflow runs and field history: the
// engine builds these, the UIs read them (type-only).
export type * from './approval-types';
export type * from './notification-types';
export type * from './workflow-run-types';
export type * from './field-change-types';
export type * from './api-token-types';
