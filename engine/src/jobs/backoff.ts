import type { BackoffOptions } from './types';

export const DEFAULT_BACKOFF: Required<BackoffOptions> = Object.freeze({ baseMs: 2000, maxMs: 60 * 60 * 1000 });

/**
 * How long to wait after the `attempt`-th failed attempt: base, 2 x base, 4 x base, ... up to
 * the cap. Deterministic (no jitter): retries of one receiver's jobs are spread by when each job
 * first failed, and an administrator can tell when the next attempt is due (`run_at`).
 */
export function retryDelayMs(attempt: number, backoff: Required<BackoffOptions> = DEFAULT_BACKOFF): number {
  const exponent = Math.max(0, Math.min(attempt - 1, 40));
  return Math.min(backoff.maxMs, backoff.baseMs * 2 ** exponent);
}
