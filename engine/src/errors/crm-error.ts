import { errorCatalogue, fieldIssueCatalogue, type ErrorCode, type FieldIssueCode, type Locale } from './catalogue';
import { fillTemplate as fill, type ErrorParams } from './fill';
import { reason } from './reason';
import { textIn, type LocalizedText } from './localized-text';

export type { ErrorParam, ErrorParams, Expectation, IssueReason, ReasonData } from './fill';

/** A field issue code: from the catalogue, or `rule:<name>` for a failing validation rule. */
export type IssueCode = FieldIssueCode | `rule:${string}`;

/** A message written in metadata (a validation rule's): one string or one per language. */
export type DefinedMessage = LocalizedText;

export interface FieldIssue {
  /** JSON path of the offending input, e.g. `amount` or `sections/0/fields/2`. */
  readonly path: string;
  readonly code: IssueCode;
  readonly params?: ErrorParams;
  /** The message an analyst wrote for this issue; the catalogue's message otherwise (required for `rule:` codes). */
  readonly message?: DefinedMessage;
  /** API name of the field of the record the issue is about, when the caller may see that field. */
  readonly field?: string;
  /** That field's label: messages name the field by it, in the reader's language. */
  readonly label?: LocalizedText;
}

/** One entry of `fields` in the error shape. */
export interface FieldErrorBody {
  path: string;
  code: IssueCode;
  message: string;
  field?: string;
  label?: string;
}

/** The one error shape of DESIGN.md. */
export interface ErrorBody {
  error: {
    code: ErrorCode;
    message: string;
    fields: FieldErrorBody[];
  };
}

// `{summary}` and `{fields}` are derived from the field issues in the reader's language unless given explicitly.
function render(code: ErrorCode, params: ErrorParams, fields: readonly FieldIssue[], locale: Locale): string {
  const template = errorCatalogue[code].message[locale];
  const derived: Record<string, string> = {};
  if (template.includes('{summary}') && !('summary' in params)) derived.summary = summarizeIssues(fields, locale);
  if (template.includes('{fields}') && !('fields' in params)) derived.fields = listIn([...new Set(fields.map((issue) => issueSubject(issue, locale)))], locale);
  return fill(template, { ...params, ...derived }, locale);
}

/** Items of a list in a sentence: `a, b` in English, `a、b` in Chinese. */
export function listIn(items: readonly string[], locale: Locale): string {
  return items.join(locale === 'zh-CN' ? '、' : ', ');
}

export class CrmError extends Error {
  readonly code: ErrorCode;
  readonly status: number;
  readonly params: ErrorParams;
  readonly fields: readonly FieldIssue[];

  constructor(code: ErrorCode, params: ErrorParams = {}, fields: readonly FieldIssue[] = [], options?: { cause?: unknown }) {
    super(render(code, params, fields, 'en'), options);
    this.name = 'CrmError';
    this.code = code;
    this.status = errorCatalogue[code].status;
    this.params = Object.freeze({ ...params });
    this.fields = Object.freeze([...fields]);
  }

  messageIn(locale: Locale): string {
    return render(this.code, this.params, this.fields, locale);
  }

  /** Plain data (for storing, e.g. an idempotent replay); fromJSON rebuilds the error. */
  toJSON(): { code: ErrorCode; params: ErrorParams; fields: FieldIssue[] } {
    return { code: this.code, params: this.params, fields: [...this.fields] };
  }

  static fromJSON(data: { code: ErrorCode; params: ErrorParams; fields: FieldIssue[] }): CrmError {
    return new CrmError(data.code, data.params, data.fields);
  }

  /** The same error with its params and issues restated (fields named by label), keeping its cause. */
  restated(params: ErrorParams, fields: readonly FieldIssue[]): CrmError {
    return new CrmError(this.code, params, fields, this.cause === undefined ? undefined : { cause: this.cause });
  }

  toBody(locale: Locale = 'en'): ErrorBody {
    return {
      error: {
        code: this.code,
        message: this.messageIn(locale),
        fields: this.fields.map((issue) => ({
          path: issue.path,
          code: issue.code,
          message: issueMessage(issue, locale),
          ...(issue.field !== undefined ? { field: issue.field } : {}),
          ...(issue.label !== undefined ? { label: textIn(issue.label, locale) } : {}),
        })),
      },
    };
  }
}

export function isCrmError(error: unknown, code?: ErrorCode): error is CrmError {
  return error instanceof CrmError && (code === undefined || error.code === code);
}

/**
 * One issue's message in a language: the defined one (a rule's own words), else the catalogue's,
 * which says what is wrong with the field, so it starts with the field's label when there is one.
 */
function issueMessage(issue: FieldIssue, locale: Locale): string {
  if (issue.message !== undefined) return textIn(issue.message, locale);
  const template = fieldIssueCatalogue[issue.code as FieldIssueCode];
  const text = template ? fill(template[locale], issue.params, locale) : issue.code;
  return issue.label !== undefined ? `${textIn(issue.label, locale)} ${text}` : text;
}

/** What an issue is about, for a person: the field's label, else the input's path. */
function issueSubject(issue: FieldIssue, locale: Locale): string {
  return issue.label !== undefined ? textIn(issue.label, locale) : issue.path || reason('root_path').in(locale);
}

/**
 * Summarises field issues for the top-level message (`Amount is required; stage ...`). A defined
 * message is a whole sentence and stands alone, once even when its rule points at several fields.
 */
export function summarizeIssues(fields: readonly FieldIssue[], locale: Locale = 'en'): string {
  const standsAlone = (issue: FieldIssue) => issue.message !== undefined || issue.label !== undefined;
  const parts = [...new Set(fields.map((issue) => (standsAlone(issue) ? issueMessage(issue, locale) : `${issueSubject(issue, locale)} ${issueMessage(issue, locale)}`)))];
  const more = parts.length > 5 ? reason('more_issues', { count: parts.length - 5 }).in(locale) : undefined;
  const shown = parts.slice(0, 5).join('; ');
  if (more === undefined) return shown;
  return locale === 'zh-CN' ? `${shown}（${more}）` : `${shown} (${more})`;
}

export function validationError(fields: readonly FieldIssue[]): CrmError {
  return new CrmError('validation_failed', {}, fields);
}
