import type { ErrorParams, Expectation, FieldIssueCode, ReasonData } from '../errors';
import type { JsonSchema } from '../documents/json-schema';
import type { FieldDefinition, FieldType } from '../documents/types';
import type { ValueKind } from '../rules/scope';

/**
 * One field type, fully described in one place (the Medusa pattern): how it is stored, how its
 * input is checked and normalised, how it looks to rules and to the UIs. Only the registry
 * switches on `type`. This module is browser-safe: type changes (which need SQL) live in
 * schema-sync/conversions.ts.
 */

/** Column types the engine creates. Built from validated integers, never from user text. */
export type ColumnType =
  | 'text'
  | 'bigint'
  | 'boolean'
  | 'date'
  | 'timestamptz(3)'
  | 'text[]'
  | 'jsonb'
  | 'uuid'
  | 'numeric'
  | `numeric(${number},${number})`;

export type Storage =
  | { readonly kind: 'column'; readonly columnType: ColumnType }
  /** Computed when read, never stored (formula). */
  | { readonly kind: 'virtual' };

export interface ValueIssue {
  readonly code: FieldIssueCode;
  readonly params?: ErrorParams;
}

export type Normalized = { readonly ok: true; readonly value: unknown } | { readonly ok: false; readonly issue: ValueIssue };

export interface NormalizeContext {
  /** The stored value before this write (updates), so unchanged inactive options stay allowed. */
  readonly previous: unknown;
}

/** A problem in a field definition found by a type's own semantic check. */
export interface DefinitionIssue {
  readonly path: string;
  readonly reason: ReasonData;
}

/** What the UIs need to render and validate the field, safe to send to a browser. */
export interface ClientFieldDescriptor {
  readonly widget: string;
  readonly valueKind: ValueKind;
  readonly [property: string]: unknown;
}

export interface Capabilities {
  /** Users write it (false for formula, rollup, autonumber). */
  readonly input: boolean;
  readonly sortable: boolean;
  readonly filterable: boolean;
  /** Text search (`searchable`) may include it. */
  readonly searchable: boolean;
  readonly unique: boolean;
  readonly indexable: boolean;
  readonly defaultable: boolean;
  readonly requirable: boolean;
}

/** Lets a type look at other metadata (a rollup at the child field it aggregates). */
export interface TypeContext {
  field(object: string, field: string): FieldDefinition | undefined;
}

export interface FieldTypeModule<D extends FieldDefinition = FieldDefinition> {
  readonly type: FieldType;
  /** JSON Schema of the properties this type adds to a field definition. */
  readonly definitionProperties: Readonly<Record<string, JsonSchema>>;
  readonly requiredProperties?: readonly string[];
  readonly capabilities: Capabilities;
  storage(def: D, context: TypeContext): Storage;
  valueKind(def: D, context: TypeContext): ValueKind;
  /** What the error message calls a valid value: "a whole number", "a date (YYYY-MM-DD)". */
  readonly expected: Expectation;
  /** Tidies raw input before it is checked (surrounding spaces of an email typed into a form). */
  clean?(value: unknown): unknown;
  /** Schema for an input value, not counting null (null is handled for all types alike). */
  inputSchema(def: D): JsonSchema;
  /** Turns a schema-valid input into the stored value, or reports what a schema cannot. */
  normalize(value: unknown, def: D, context: NormalizeContext): Normalized;
  /** Stored value to API value. */
  output(value: unknown, def: D): unknown;
  /** API value to the value rules see (decimals become numbers). */
  toRule(value: unknown, def: D): unknown;
  /** Semantic checks that a schema cannot express (pattern compiles, options unique...). */
  check?(def: D): DefinitionIssue[];
  describe(def: D, context: TypeContext): ClientFieldDescriptor;
}
