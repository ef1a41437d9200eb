import type { Locale } from './catalogue';
import { reasonText, type ErrorParam, type ErrorParams, type ReasonData } from './fill';
import type { ReasonCode, ReasonPlaceholders } from './reason-catalogue';

/** The params a reason needs: exactly its placeholders (none for a text without any). */
export type ReasonArgs<Code extends ReasonCode> = [ReasonPlaceholders<Code>] extends [never] ? [] : [params: Readonly<Record<ReasonPlaceholders<Code>, ErrorParam>>];

/**
 * Why something is refused: a code of the reason catalogue with its params, rendered in the
 * reader's language where a message is made. `String(reason)` is its English text (logs, and
 * callers that still carry reasons as text).
 */
export class Reason implements ReasonData {
  readonly reason: ReasonCode;
  readonly params?: ErrorParams;

  constructor(code: ReasonCode, params?: ErrorParams) {
    this.reason = code;
    if (params !== undefined) this.params = Object.freeze({ ...params });
    Object.freeze(this);
  }

  in(locale: Locale): string {
    return reasonText(this, locale);
  }

  toString(): string {
    return this.in('en');
  }

  toJSON(): ReasonData {
    return this.params === undefined ? { reason: this.reason } : { reason: this.reason, params: this.params };
  }
}

/** A reason from the catalogue; the compiler checks that the params are the text's placeholders. */
export function reason<Code extends ReasonCode>(code: Code, ...args: ReasonArgs<Code>): Reason {
  return new Reason(code, args[0] as ErrorParams | undefined);
}
