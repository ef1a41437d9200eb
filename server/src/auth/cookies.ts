import type { FastifyReply } from 'fastify';

/**
 * The two cookies of a browser session. `crm_session` holds the session token and is HttpOnly, so
 * page scripts (and injected ones) never see it. `crm_csrf` holds the session's CSRF token and is
 * readable on purpose: the browser app copies it into X-CSRF-Token, which another site cannot do.
 */
export const SESSION_COOKIE = 'crm_session';
export const CSRF_COOKIE = 'crm_csrf';

export interface CookiePolicy {
  /** Secure (HTTPS only). Browsers treat http://localhost and loopback addresses as secure too. */
  readonly secure: boolean;
}

function attributes(policy: CookiePolicy, httpOnly: boolean, expires: Date) {
  return { path: '/', httpOnly, secure: policy.secure, sameSite: 'lax' as const, expires };
}

export function setSessionCookies(reply: FastifyReply, policy: CookiePolicy, token: string, csrfToken: string, expiresAt: string): void {
  const expires = new Date(expiresAt);
  reply.setCookie(SESSION_COOKIE, token, attributes(policy, true, expires));
  reply.setCookie(CSRF_COOKIE, csrfToken, attributes(policy, false, expires));
}

export function clearSessionCookies(reply: FastifyReply, policy: CookiePolicy): void {
  reply.clearCookie(SESSION_COOKIE, { path: '/', httpOnly: true, secure: policy.secure, sameSite: 'lax' });
  reply.clearCookie(CSRF_COOKIE, { path: '/', httpOnly: false, secure: policy.secure, sameSite: 'lax' });
}
