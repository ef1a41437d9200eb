import {
  actionCatalogue,
  errorCatalogue,
  expectationCatalogue,
  fieldIssueCatalogue,
  type ErrorCode,
  type FieldIssueCode,
  type Locale,
} from './catalogue';

export type ErrorParams = Readonly<Record<string, string | number | boolean | null>>;

/** A field issue code: from the catalogue, or `rule:<name>` for a failing validation rule. */
export type IssueCode = FieldIssueCode | `rule:${string}`;

/** A message written in metadata (a validation rule's): one string or one per language. */
export type DefinedMessage = string | Readonly<Partial<Record<Locale, string>>>;

export interface FieldIssue {
  /** JSON path of the offending input, e.g. `amount` or `sections/0/fields/2`. */
  readonly path: string;
  readonly code: IssueCode;
  readonly params?: ErrorParams;
  /** The message an analyst wrote for this issue; the catalogue's message otherwise (required for `rule:` codes). */
  readonly message?: DefinedMessage;
}

/** The one error shape of DESIGN.md. */
export interface ErrorBody {
  error: {
    code: ErrorCode;
    message: string;
    fields: { path: string; code: IssueCode; message: string }[];
  };
}

function fill(template: string, params: ErrorParams | undefined, locale: Locale = 'en'): string {
  if (!params) return template;
  return template.replace(/\{([a-z_]+)\}/g, (whole, key: string) => {
    if (!(key in params)) return whole;
    const value = String(params[key]);
    if (key === 'action') return actionCatalogue[value]?.[locale] ?? value;
    return key === 'expected' && locale === 'zh-CN' ? (expectationCatalogue[value] ?? value) : value;
  });
}

// `{summary}` is derived from the field issues in the reader's language unless given explicitly.
function render(code: ErrorCode, params: ErrorParams, fields: readonly FieldIssue[], locale: Locale): string {
  const template = errorCatalogue[code].message[locale];
  const withSummary =
    template.includes('{summary}') && !('summary' in params)
      ? { ...params, summary: summarizeIssues(fields, locale) }
      : params;
  return fill(template, withSummary, locale);
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

  toBody(locale: Locale = 'en'): ErrorBody {
    return {
      error: {
        code: this.code,
        message: this.messageIn(locale),
        fields: this.fields.map((issue) => ({
          path: issue.path,
          code: issue.code,
          message: issueMessage(issue, locale),
        })),
      },
    };
  }
}

export function isCrmError(error: unknown, code?: ErrorCode): error is CrmError {
  return error instanceof CrmError && (code === undefined || error.code === code);
}

/** One issue's message in a language: the defined one (a rule's own words), else the catalogue's. */
function issueMessage(issue: FieldIssue, locale: Locale): string {
  if (issue.message !== undefined) {
    if (typeof issue.message === 'string') return issue.message;
    return issue.message[locale] ?? issue.message.en ?? Object.values(issue.message)[0] ?? '';
  }
  const template = fieldIssueCatalogue[issue.code as FieldIssueCode];
  return template ? fill(template[locale], issue.params, locale) : issue.code;
}

/**
 * Summarises field issues for the top-level message (`amount is required; stage ...`). A defined
 * message is a whole sentence and stands alone, once even when its rule points at several fields.
 */
export function summarizeIssues(fields: readonly FieldIssue[], locale: Locale = 'en'): string {
  const parts = [...new Set(fields.map((issue) => (issue.message !== undefined ? issueMessage(issue, locale) : `${issue.path || '(root)'} ${issueMessage(issue, locale)}`)))];
  return parts
    .slice(0, 5)
    .join('; ')
    .concat(parts.length > 5 ? ` (+${parts.length - 5} more)` : '');
}

export function validationError(fields: readonly FieldIssue[]): CrmError {
  return new CrmError('validation_failed', {}, fields);
}
