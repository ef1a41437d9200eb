// PLACEHOLDER: the authentication work replaces this file with the real service.
import type { Actor } from '../actors';
import type { Database } from '../db/open-database';

export interface SessionInfo {
  readonly sessionId: string;
  readonly userId: string;
  readonly csrfToken: string;
  readonly expiresAt: string;
}

export interface TokenInfo {
  readonly tokenId: string;
  readonly userId: string;
}

export class AuthService {
  constructor(private readonly database: Database) {}

  /** A new API token for the actor's user; the raw token is returned once. */
  async createToken(_actor: Actor, _input: { name: string; expires_at?: string | null }): Promise<{ id: string; token: string }> {
    void this.database;
    throw new Error('not implemented');
  }

  async authenticateToken(_raw: string): Promise<TokenInfo | null> {
    throw new Error('not implemented');
  }
}
