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
      const issue = jsonInputIssue(body, REQUEST_LIMITS, { nul: text.includes('\\u0000') });
      return issue ? done(new CrmError('validation_failed', {}, [issue])) : done(null, body);
    });
  });
}
