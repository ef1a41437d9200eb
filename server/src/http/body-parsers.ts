import { CrmError, jsonInputIssue, REQUEST_LIMITS } from '@crm/engine';
import type { FastifyInstance, FastifyRequest } from 'fastify';

/** What a JSON route takes, as named in 415 answers. */
export const JSON_BODY = 'UTF-8 JSON (application/json)';

type BodyDone = (error: Error | null, body?: unknown) => void;

/**
 * Bodies are read as UTF-8. A body declaring another charset (`application/json; charset=utf-16`)
 * would be misread, so it is refused with 415 naming what to send instead.
 */
export function charsetRefusal(request: FastifyRequest, expected: string): CrmError | undefined {
  const charset = /;\s*charset\s*=\s*"?([^";\s]*)/i.exec(request.headers['content-type'] ?? '')?.[1];
  return charset !== undefined && !/^utf-?8$/i.test(charset) ? new CrmError('unsupported_media_type', { expected }) : undefined;
}

/**
 * JSON bodies through Fastify's own parser (secure-json-parse, which refuses `__proto__` and
 * `constructor.prototype` keys), then checked as untrusted input before any route sees them: at
 * most REQUEST_LIMITS deep, and no U+0000 in any string or key (PostgreSQL stores none; the body
 * path is named). JSON can only carry U+0000 as the escape `\u0000`, so bodies without that text
 * are not searched for it.
 */
export function installJsonBodyParser(app: FastifyInstance): void {
  // The default parser is the callback kind; Fastify's type also allows an async one.
  const parse = app.getDefaultJsonParser(app.initialConfig.onProtoPoisoning ?? 'error', app.initialConfig.onConstructorPoisoning ?? 'error') as (
    request: FastifyRequest,
    body: string,
    done: BodyDone,
  ) => void;
  app.removeContentTypeParser('application/json');
  app.addContentTypeParser('application/json', { parseAs: 'string' }, (request, text: string, done) => {
    const refused = charsetRefusal(request, JSON_BODY);
    if (refused) return done(refused);
    return parse(request, text, (error, body) => {
      if (error) return done(error);
      const nul = text.includes('\\u0000');
      // Most bodies cannot break a limit: no escaped U+0000 and fewer brackets than levels allowed.
      if (!nul && !mayNestDeeperThan(text, REQUEST_LIMITS.maxDepth)) return done(null, body);
      const issue = jsonInputIssue(body, REQUEST_LIMITS, { nul });
      return issue ? done(new CrmError('validation_failed', {}, [issue])) : done(null, body);
    });
  });
}

/**
 * Whether JSON text could nest deeper than `maxDepth` (the value itself is level 1): only when it
 * holds at least `maxDepth` opening brackets, since every level below the first opens one (a
 * bracket inside a string only counts too many). Stops counting at the limit.
 */
export function mayNestDeeperThan(text: string, maxDepth: number): boolean {
  let opening = 0;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if ((c === 0x7b || c === 0x5b) && ++opening >= maxDepth) return true;
  }
  return false;
}
