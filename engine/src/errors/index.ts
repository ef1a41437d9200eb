export { errorCatalogue, fieldIssueCatalogue, type ErrorCode, type FieldIssueCode, type Locale } from './catalogue';
export {
  CrmError,
  isCrmError,
  summarizeIssues,
  validationError,
  type ErrorBody,
  type ErrorParams,
  type FieldIssue,
  type IssueCode,
  type DefinedMessage,
} from './crm-error';
