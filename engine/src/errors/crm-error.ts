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

export interface FieldIssue {
  /** JSON path of the offending input, e.g. `amount` or `sections/0/fields/2`. */
  readonly path: string;
  readonly code: FieldIssueCode;
  readonly params?: ErrorParams;
}

/** The one error shape of DESIGN.md. */
export interface ErrorBody {
  error: {
    code: ErrorCode;
    message: string;
    fields: { path: string; code: FieldIssueCode; message: string }[];
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
          message: fill(fieldIssueCatalogue[issue.code][locale], issue.params, locale),
        })),
      },
    };
  }
}

export function isCrmError(error: unknown, code?: ErrorCode): error is CrmError {
  return error instanceof CrmError && (code === undefined || error.code === code);
}

/** Summarises field issues for the top-level message (`amount is required; stage ...`). */
export function summarizeIssues(fields: readonly FieldIssue[], locale: Locale = 'en'): string {
  return fields
    .slice(0, 5)
    .map((issue) => `${issue.path || '(root)'} ${fill(fieldIssueCatalogue[issue.code][locale], issue.params, locale)}`)
    .join('; ')
    .concat(fields.length > 5 ? ` (+${fields.length - 5} more)` : '');
}

export function validationError(fields: readonly FieldIssue[]): CrmError {
  return new CrmError('validation_failed', {}, fields);
}
