/**
 * An in-app notification as the API answers it (GET /api/notifications): a message for one user,
 * optionally about a record (its object and id, so a UI can link to it), read or not. Type-only:
 * the engine's notifications/ stores them, the UIs read them.
 */
export interface Notification {
  readonly id: string;
  readonly title: string;
  readonly body: string | null;
  readonly object: string | null;
  readonly record_id: string | null;
  readonly workflow: string | null;
  readonly created_at: string;
  readonly read_at: string | null;
}
