import { CrmError } from '@crm/engine';
import rateLimit from '@fastify/rate-limit';
import type { FastifyInstance, FastifyRequest } from 'fastify';

export interface SignInRateLimit {
  /** Sign-in attempts per email within the window (against guessing one account's password). Default 10. */
  readonly perEmail?: number;
  /**
   * Sign-in attempts per client address within the window (against trying many accounts).
   * Default 30: higher than per email because an office behind one NAT address shares it.
   */
  readonly perIp?: number;
  /** Default 5 minutes. */
  readonly windowMs?: number;
}

/** Counts one attempt and throws rate_limited when over a limit; the body must already hold a string `email`. */
export type SignInAttemptCheck = (request: FastifyRequest) => Promise<void>;

/**
 * Limits sign-in attempts per client address and per email, with @fastify/rate-limit's counters
 * (in memory, per process: several processes each allow the limit). Every attempt counts, not
 * only failures: counting after the password check would let parallel requests all pass the
 * check before any failure is counted. Over the limit: 429 rate_limited with Retry-After.
 */
export async function signInRateLimit(app: FastifyInstance, limits: SignInRateLimit = {}): Promise<SignInAttemptCheck> {
  await app.register(rateLimit, { global: false });
  const timeWindow = limits.windowMs ?? 5 * 60_000;
  const byIp = app.createRateLimit({ max: limits.perIp ?? 30, timeWindow });
  const byEmail = app.createRateLimit({
    max: limits.perEmail ?? 10,
    timeWindow,
    keyGenerator: (request) => `email:${(request.body as { email: string }).email.trim().toLowerCase()}`,
  });
  const enforce = (limiter: typeof byIp): SignInAttemptCheck => async (request) => {
    const outcome = await limiter(request);
    if (!outcome.isAllowed && outcome.isExceeded) throw new CrmError('rate_limited', { retry_after: Math.max(1, outcome.ttlInSeconds) });
  };
  const checkIp = enforce(byIp);
  const checkEmail = enforce(byEmail);
  return async (request) => {
    await checkIp(request);
    await checkEmail(request);
  };
}
