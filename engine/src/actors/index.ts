export { systemActor, userActor, assertActor, actorUserId, SYSTEM_USER_ID, type Actor } from './actor';
