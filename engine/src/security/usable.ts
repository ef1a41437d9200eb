import type { ActorAccess } from './actor-access';

/** Whether the actor may do anything with an object's records. */
export function usable(access: ActorAccess, objectName: string): boolean {
  if (access.unrestricted && !access.subject.tokenScopes) return true;
  const grant = access.object(objectName);
  return grant.read || grant.create;
}
