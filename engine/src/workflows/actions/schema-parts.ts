/** Pieces of JSON Schema the action schemas share (moved from workflow-schema.ts). */

export const apiName = { type: 'string', minLength: 1, maxLength: 63 } as const;
/** Names the action in errors and the run log. */
export const name = apiName;
const UUID = '^[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}$';
export const uuid = { type: 'string', pattern: UUID } as const;
export const template = { type: 'string', minLength: 1, maxLength: 20_000 } as const;
/** A template, or one per language (`{"en": ..., "zh-CN": ...}`), each at most `max` characters. */
export const localizedTemplate = (max: number) =>
  ({
    anyOf: [
      { type: 'string', minLength: 1, maxLength: max },
      {
        type: 'object',
        properties: { en: { type: 'string', minLength: 1, maxLength: max }, 'zh-CN': { type: 'string', minLength: 1, maxLength: max } },
        additionalProperties: false,
        minProperties: 1,
      },
    ],
  }) as const;
