/** The JSON Schema subset the engine writes (AJV, draft 2020-12 compatible). */
export interface JsonSchema {
  readonly [keyword: string]: unknown;
}
