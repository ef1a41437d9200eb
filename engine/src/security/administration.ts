import { assertActor, type Actor } from '../actors';
import { CrmError } from '../errors';
import type { MetadataCache } from '../metadata/cache';
import type { AccessResolver } from './access-resolver';
import type { ActorAccess } from './actor-access';

/** Who may change the platform itself (metadata, roles, users, departments): administrators and the system actor. */
export class Administration {
  constructor(
    private readonly cache: MetadataCache,
    private readonly resolver: AccessResolver,
  ) {}

  async access(actor: Actor): Promise<ActorAccess> {
    assertActor(actor);
    const access = await this.resolver.forActor(actor, await this.cache.current());
    if (!access.subject.active) throw new CrmError('actor_invalid');
    return access;
  }

  async isAdmin(actor: Actor): Promise<boolean> {
    const access = await this.access(actor);
    // A scoped API token is for records; it never administers, whoever owns it.
    return access.subject.admin && !access.subject.tokenScopes;
  }

  async requireAdmin(actor: Actor, subject: string): Promise<void> {
    if (!(await this.isAdmin(actor))) throw new CrmError('forbidden', { action: 'administer', subject });
  }
}
