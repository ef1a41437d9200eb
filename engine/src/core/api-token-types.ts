/**
 * API tokens as the API answers them (GET and POST /api/auth/tokens). Type-only: the engine's
 * auth/ makes them (with its own operation names for `Scopes`), the UIs read them.
 */

/** A token as listed: never the token nor its hash. */
export interface ApiTokenSummary<Scopes = Readonly<Record<string, readonly string[]>>> {
  readonly id: string;
  readonly name: string;
  /** The first characters of the token, to recognise it ("crm_AbCdEfGh"). */
  readonly prefix: string;
  readonly created_at: string;
  readonly expires_at: string | null;
  readonly last_used_at: string | null;
  /** Per-object operations the token is limited to; null: everything its user may do. */
  readonly scopes: Scopes | null;
}

/** Returned once, on creation: the only time the raw token exists outside the caller. */
export interface CreatedApiToken<Scopes = Readonly<Record<string, readonly string[]>>> extends Omit<ApiTokenSummary<Scopes>, 'last_used_at'> {
  readonly token: string;
}
