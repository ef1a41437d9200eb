import { assertActor, type Actor } from '../actors';
import { CrmError, reason, type ReasonCode } from '../errors';
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

  async requireAdmin(actor: Actor, subject: Administered): Promise<void> {
    if (!(await this.isAdmin(actor))) throw new CrmError('forbidden', { action: 'administer', subject: reason(ADMINISTERED[subject]) });
  }
}

/** What only administrators change, as `forbidden` names it in each language. */
const ADMINISTERED = Object.freeze({
  objects: 'subject_objects',
  fields: 'subject_fields',
  layouts: 'subject_layouts',
  views: 'subject_views',
  'validation rules': 'subject_validation_rules',
  'approval processes': 'subject_approval_processes',
  workflows: 'subject_workflows',
  'workflow runs': 'subject_workflow_runs',
  roles: 'subject_roles',
  departments: 'subject_departments',
  users: 'subject_users',
} as const satisfies Record<string, ReasonCode>);

export type Administered = keyof typeof ADMINISTERED;
