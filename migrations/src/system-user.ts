/**
 * The id of the built-in "system" user: the actor of internal work and the owner of seed data.
 * A module of its own (`@crm/migrations/system-user`) so code that only needs the id, like the
 * engine's actors, does not load every migration and kysely with it.
 */
export const SYSTEM_USER_ID = '00000000-0000-0000-0000-000000000000';
