/** The engine's metadata-document schemas, re-exported under the names this folder uses. */
export { fieldSchema, layoutSchema, objectSchema, roleSchema, viewSchema, i18nTextSchema } from '@crm/engine';
export { validationRuleSchema } from '@crm/engine';
