import type { Actor, Locale } from '@crm/engine';
import { CrmError } from '@crm/engine';
import type { FastifyRequest } from 'fastify';

/** How the request proved who it is. */
export type RequestAuth =
  | { readonly kind: 'session'; readonly userId: string; readonly sessionId: string; readonly csrfToken: string }
  | { readonly kind: 'token'; readonly userId: string; readonly tokenId: string };

declare module 'fastify' {
  interface FastifyRequest {
    /** Set by the auth plugin for authenticated requests; every engine call uses it. */
    actor: Actor | null;
    auth: RequestAuth | null;
    /** From Accept-Language: error messages come back in the caller's language. */
    locale: Locale;
  }
}

export function localeOf(acceptLanguage: string | undefined): Locale {
  return acceptLanguage && /^zh\b/i.test(acceptLanguage.trim()) ? 'zh-CN' : 'en';
}

/** The actor of an authenticated request (the auth plugin has already refused the others). */
export function actorOf(request: FastifyRequest): Actor {
  if (!request.actor) throw new CrmError('unauthenticated');
  return request.actor;
}
