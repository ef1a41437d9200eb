import { hash, verify, type Options } from '@node-rs/argon2';
import { validationError } from '../errors';
import { randomSecret } from './secrets';

/**
 * Password hashing with argon2id (@node-rs/argon2) at the OWASP-recommended minimum cost
 * (19 MiB, 2 passes, 1 lane): about 50 ms per hash on one core, so sign-in stays quick while an
 * offline guess costs the same. The parameters live in each stored PHC string, so raising them
 * later keeps old hashes verifiable.
 */
const ARGON2ID = 2; // Algorithm.Argon2id (an ambient const enum, not importable under isolatedModules)
const HASH_OPTIONS: Options = Object.freeze({ algorithm: ARGON2ID, memoryCost: 19_456, timeCost: 2, parallelism: 1 });

export const MIN_PASSWORD_LENGTH = 10;
/** Long enough for any passphrase; bounds the work one request can ask of the hasher. */
export const MAX_PASSWORD_LENGTH = 1024;

export function hashPassword(password: string): Promise<string> {
  return hash(password, HASH_OPTIONS);
}

export async function verifyPassword(passwordHash: string, password: string): Promise<boolean> {
  try {
    return await verify(passwordHash, password);
  } catch {
    // A malformed stored hash must read as "wrong password", never as a 500 that tells it apart.
    return false;
  }
}

let dummyHash: Promise<string> | undefined;

/**
 * A hash to verify against when there is no real one (unknown email, no password set), so a
 * failed sign-in costs the same time whatever the reason and does not reveal which emails exist.
 */
export function hashForMissingPassword(): Promise<string> {
  dummyHash ??= hashPassword(randomSecret());
  return dummyHash;
}

/** A strong password for generated accounts: 24 random bytes, 32 URL-safe characters. */
export function generatePassword(): string {
  return randomSecret(24);
}

/** Refuses passwords outside the length policy with validation_failed on `path`. */
export function checkPasswordPolicy(password: unknown, path = 'password'): string {
  if (typeof password !== 'string') throw validationError([{ path, code: 'type', params: { expected: 'a string' } }]);
  if (password.length < MIN_PASSWORD_LENGTH) throw validationError([{ path, code: 'min_length', params: { limit: MIN_PASSWORD_LENGTH } }]);
  if (password.length > MAX_PASSWORD_LENGTH) throw validationError([{ path, code: 'max_length', params: { limit: MAX_PASSWORD_LENGTH } }]);
  return password;
}
