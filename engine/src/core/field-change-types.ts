/**
 * One change of one field of a record as the API answers it (GET /api/records/:object/:id/history):
 * the engine's records/ keeps them, the UIs show them on the record's timeline. Type-only.
 */
export interface FieldChange {
  readonly field: string;
  readonly old_value: unknown;
  readonly new_value: unknown;
  readonly actor_id: string;
  readonly changed_at: string;
}
