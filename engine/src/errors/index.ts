export { errorCatalogue, fieldIssueCatalogue, type ErrorCode, type FieldIssueCode, type Locale } from './catalogue';
export {
  CrmError,
  isCrmError,
  listIn,
  summarizeIssues,
  validationError,
  type ErrorBody,
  type ErrorParam,
  type ErrorParams,
  type FieldErrorBody,
  type FieldIssue,
  type IssueCode,
  type DefinedMessage,
} from './crm-error';
export { textIn, type LocalizedText } from './localized-text';
