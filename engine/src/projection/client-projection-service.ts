import { createHash } from 'node:crypto';
import type { Kysely } from 'kysely';
import { LRUCache } from 'lru-cache';
import { actorUserId, type Actor } from '../actors';
import type { SystemDatabase } from '../db/system-tables';
import type { Locale } from '../errors';
import type { Administration } from '../security/administration';
import type { ActorAccess } from '../security/actor-access';
import { projectObjects } from './client-projection';
import type { ClientMetadata, ClientObject, ClientUser } from './client-projection-types';

/** How long a user's name and email may be served after they changed (they do not bump the metadata revision). */
export const IDENTITY_TTL_MS = 5_000;

interface NameAndEmail {
  readonly name: string;
  readonly email: string | null;
}

export interface ClientMetadataOptions {
  /** The caller's language (from the request); it goes into `user.locale` and so into the ETag. */
  readonly locale?: Locale;
}

/** One answer: an entity tag that changes with anything in the body, and the body, built only when asked for. */
export interface ClientMetadataAnswer {
  readonly etag: string;
  readonly revision: number;
  body(): ClientMetadata;
}

/**
 * The per-user projection of the metadata for UIs, cached by revision and access. The objects
 * part depends only on the revision and the caller's grants (roles, token scopes, administrator
 * or not), so it is built once per such pair and shared by everyone who has it. Role, user-role
 * and department changes bump the metadata revision, so no entry outlives what it was built
 * from. A user's name and email change without a revision, so they are kept for a few seconds
 * only (IDENTITY_TTL_MS): reading them on every call cost a query per 304, several times the
 * rest of the answer on PGlite.
 */
export class ClientProjectionService {
  readonly #objects = new LRUCache<string, readonly ClientObject[]>({ max: 200 });
  readonly #names = new LRUCache<string, NameAndEmail>({ max: 10_000, ttl: IDENTITY_TTL_MS });

  constructor(
    private readonly db: Kysely<SystemDatabase>,
    private readonly administration: Administration,
  ) {}

  async forActor(actor: Actor, options: ClientMetadataOptions = {}): Promise<ClientMetadataAnswer> {
    const access = await this.administration.access(actor);
    const revision = access.metadata.revision;
    const user = await this.#user(actor, access, options.locale ?? 'en');
    const key = `${revision}|${accessFingerprint(access)}`;
    // The tag covers everything the body is made of: the revision and grants (key) and the identity.
    const digest = createHash('sha256').update(key).update('\n').update(JSON.stringify(user)).digest('base64url').slice(0, 32);
    const etag = `"r${revision}-${digest}"`;
    return {
      etag,
      revision,
      body: () => {
        let objects = this.#objects.get(key);
        if (!objects) {
          // Shared between callers with the same grants; the readonly types keep everyone from changing it.
          objects = projectObjects(access);
          this.#objects.set(key, objects);
        }
        return { revision, user, objects };
      },
    };
  }

  async #user(actor: Actor, access: ActorAccess, locale: Locale): Promise<ClientUser> {
    const metadata = access.metadata;
    const { subject } = access;
    const row = actor.kind === 'user' ? await this.#nameOf(subject.userId) : undefined;
    const department = subject.departmentId ? metadata.security.departments.get(subject.departmentId) : undefined;
    const roles = subject.roleNames.flatMap((name) => {
      const role = metadata.security.roles.get(metadata.security.roleIdsByName.get(name) ?? '');
      return role ? [{ name: role.name, label: role.label }] : [];
    });
    return {
      id: actorUserId(actor),
      name: row?.name ?? 'System',
      email: row?.email ?? null,
      locale,
      // As the server decides it: a scoped API token never administers.
      admin: subject.admin && !subject.tokenScopes,
      roles,
      department: department ? { id: department.id, name: department.name } : null,
    };
  }

  async #nameOf(userId: string): Promise<NameAndEmail | undefined> {
    const cached = this.#names.get(userId);
    if (cached) return cached;
    const row = await this.db.selectFrom('crm_meta.users').select(['name', 'email']).where('id', '=', userId).executeTakeFirst();
    if (row) this.#names.set(userId, { name: row.name, email: row.email });
    return row;
  }
}

/** What the objects part is a function of, besides the revision (see ActorAccess's grant). */
export function accessFingerprint(access: ActorAccess): string {
  const { subject } = access;
  const roles = [...subject.roleNames].sort().join(',');
  const scopes = subject.tokenScopes ? JSON.stringify(Object.entries(subject.tokenScopes).sort(([a], [b]) => (a < b ? -1 : 1))) : '';
  return `${Number(subject.active)}${Number(subject.unrestricted)}|${roles}|${scopes}`;
}
