import { SYSTEM_USER_ID } from '@crm/migrations/system-user';
import { CrmError } from '../errors';

/**
 * Who is acting. Every engine call takes one: there is no anonymous path into the engine.
 * The system actor does internal work (migrations of data, template installs) and is explicit,
 * never an implicit default.
 */
export type Actor =
  | {
      readonly kind: 'user';
      readonly userId: string;
      /** Set when the call comes through an API token limited to some objects and operations. */
      readonly scopes?: Readonly<Record<string, readonly ('create' | 'read' | 'edit' | 'delete' | 'export')[]>>;
    }
  | { readonly kind: 'system' };

export const systemActor: Actor = Object.freeze({ kind: 'system' });

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;

export function userActor(userId: string, options: { scopes?: Extract<Actor, { kind: 'user' }>['scopes'] | null } = {}): Actor {
  return Object.freeze(options.scopes ? { kind: 'user', userId: userId.toLowerCase(), scopes: options.scopes } : { kind: 'user', userId: userId.toLowerCase() });
}

export function assertActor(actor: unknown): asserts actor is Actor {
  if (!actor || typeof actor !== 'object') throw new CrmError('actor_required');
  const a = actor as Partial<{ kind: string; userId: unknown }>;
  if (a.kind === 'system') return;
  if (a.kind === 'user' && typeof a.userId === 'string' && UUID.test(a.userId)) return;
  throw new CrmError('actor_invalid');
}

/** The users-table id recorded as created_by / updated_by / owner for this actor. */
export function actorUserId(actor: Actor): string {
  return actor.kind === 'system' ? SYSTEM_USER_ID : actor.userId;
}

export { SYSTEM_USER_ID };
