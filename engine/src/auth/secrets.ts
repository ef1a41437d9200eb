import { hash, randomBytes, timingSafeEqual } from 'node:crypto';

/**
 * Random secrets and their stored form. Session and API tokens carry 256 bits from the OS CSPRNG,
 * so a plain SHA-256 is a sufficient stored form (nothing to brute-force, unlike a password) and
 * a lookup is one index probe on the hash.
 */

const TOKEN_BYTES = 32;
/** 32 bytes in base64url: 43 characters, no padding. */
const RAW_SECRET = /^[A-Za-z0-9_-]{43}$/;

export const API_TOKEN_PREFIX = 'crm_';
const RAW_API_TOKEN = /^crm_[A-Za-z0-9_-]{43}$/;
/** How much of an API token is kept in clear for display ("crm_AbCdEfGh"): 48 bits, not enough to guess the rest. */
const DISPLAY_PREFIX_LENGTH = API_TOKEN_PREFIX.length + 8;

export function randomSecret(bytes: number = TOKEN_BYTES): string {
  return randomBytes(bytes).toString('base64url');
}

export function newSessionToken(): string {
  return randomSecret();
}

export function newApiToken(): { readonly token: string; readonly prefix: string } {
  const token = API_TOKEN_PREFIX + randomSecret();
  return { token, prefix: token.slice(0, DISPLAY_PREFIX_LENGTH) };
}

/** Whether a string can be a session token at all; anything else is refused without a lookup. */
export function isSessionTokenShaped(raw: string): boolean {
  return RAW_SECRET.test(raw);
}

export function isApiTokenShaped(raw: string): boolean {
  return RAW_API_TOKEN.test(raw);
}

/** The stored and cached form of a token: SHA-256, hex. */
export function hashToken(raw: string): string {
  // One-shot: no Hash object per call (it runs on every API request).
  return hash('sha256', raw, 'hex');
}

/** Constant-time string comparison (CSRF tokens), false for different lengths. */
export function secretsEqual(a: string, b: string): boolean {
  const left = Buffer.from(a);
  const right = Buffer.from(b);
  return left.length === right.length && timingSafeEqual(left, right);
}
