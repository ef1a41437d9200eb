import type { Normalized } from '../field-type';

export const UUID_PATTERN = '^[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}$';

export const referenceInputSchema = { type: 'string', pattern: UUID_PATTERN } as const;

/** Ids are stored and compared in canonical lower case. */
export function normalizeReference(value: unknown): Normalized {
  return { ok: true, value: (value as string).toLowerCase() };
}
