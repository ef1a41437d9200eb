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
  type Expectation,
  type ReasonData,
  type IssueReason,
  type FieldErrorBody,
  type FieldIssue,
  type IssueCode,
  type DefinedMessage,
} from './crm-error';
export { textIn, type LocalizedText } from './localized-text';
export { Reason, reason, type ReasonArgs } from './reason';
export { reasonCatalogue, type ReasonCode } from './reason-catalogue';
export { fillTemplate } from './fill';
