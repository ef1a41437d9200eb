import type { ServerConfig } from './load-config';

/**
 * The configuration as it may be written to the log: passwords in URLs, the webhook secret and
 * the administrator's password are masked, so that logs (which travel further than the
 * environment) never carry them. Say that a secret is set, never what it is.
 */

const MASK = '***';

/** A URL with its password, and query parameters that look like secrets, replaced by the mask. */
export function maskedUrl(value: string): string {
  try {
    const url = new URL(value);
    // `user:password@host` parses as a URL of scheme `user:` whose path holds the password.
    if (url.host === '') return MASK;
    if (url.password) url.password = MASK;
    // Query parameters such as ?password= or ?sslpassword= carry secrets too.
    for (const key of [...url.searchParams.keys()]) if (/pass|secret|token|key/i.test(key)) url.searchParams.set(key, MASK);
    return url.toString();
  } catch {
    // Not a URL (loadConfig refuses those for the URLs it reads): say nothing of it.
    return MASK;
  }
}

const SECRET_KEY = /secret|password|token/i;
const URL_KEY = /url$/i;

function masked(key: string, value: unknown): unknown {
  if (value === undefined || value === null) return value;
  if (SECRET_KEY.test(key)) return MASK;
  if (URL_KEY.test(key) && typeof value === 'string') return maskedUrl(value);
  if (typeof value === 'object' && !Array.isArray(value)) return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, masked(k, v)]));
  return value;
}

/**
 * Walks the whole configuration by key rather than listing today's secrets, so a setting added
 * later named `...secret`, `...password`, `...token` or `...Url` is masked without anyone
 * remembering to.
 */
export function describeConfig(config: ServerConfig): Record<string, unknown> {
  return masked('', config) as Record<string, unknown>;
}
