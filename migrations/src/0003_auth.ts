import { sql, type Kysely } from 'kysely';

/**
 * Authentication: passwords, browser sessions and API tokens. Secrets are never stored: a
 * password as an argon2id hash, a session or API token as the SHA-256 of the random token (the
 * tokens carry 256 bits of randomness, so a fast hash is enough and lookups stay one index probe).
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  // In its own table so that reading users (lookups, pickers, audit) never touches password hashes.
  await sql`
    create table crm_meta.credentials (
      user_id uuid primary key references crm_meta.users (id) on delete cascade,
      password_hash text not null,
      updated_at timestamptz not null default now()
    )`.execute(db);

  await sql`
    create table crm_meta.sessions (
      id uuid primary key,
      token_hash text not null unique,
      user_id uuid not null references crm_meta.users (id) on delete cascade,
      csrf_token text not null,
      created_at timestamptz not null default now(),
      expires_at timestamptz not null,
      last_seen_at timestamptz not null default now(),
      ip text,
      user_agent text
    )`.execute(db);
  await sql`create index sessions_user_id on crm_meta.sessions (user_id)`.execute(db);

  await sql`
    create table crm_meta.api_tokens (
      id uuid primary key,
      user_id uuid not null references crm_meta.users (id) on delete cascade,
      name text not null,
      token_hash text not null unique,
      prefix text not null,
      created_at timestamptz not null default now(),
      expires_at timestamptz,
      revoked_at timestamptz,
      last_used_at timestamptz
    )`.execute(db);
  await sql`create index api_tokens_user_id on crm_meta.api_tokens (user_id, created_at)`.execute(db);
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await sql`drop table crm_meta.api_tokens`.execute(db);
  await sql`drop table crm_meta.sessions`.execute(db);
  await sql`drop table crm_meta.credentials`.execute(db);
}
