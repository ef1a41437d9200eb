import type { ErrorParams, Expectation, FieldIssueCode, ReasonData } from '../errors';
import type { JsonSchema } from '../documents/json-schema';
import type { FieldDefinition, FieldType, OnDelete, RollupField } from '../documents/types';
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

/**
 * What a field's value points at (lookup, master_detail, user). Foreign keys, expansion, reference
 * checks, delete rules and renames ask this instead of naming the types.
 */
export type FieldReference =
  | {
      readonly to: 'record';
      /** API name of the referenced object. */
      readonly target: string;
      readonly onDelete: OnDelete | 'cascade';
      /**
       * The referenced record is this record's master (master_detail): the field is always
       * required, deleting the master deletes its details (onDelete cascade), a detail is never
       * written under a deleted master and an object cannot be its own master.
       */
      readonly owned: boolean;
    }
  | { readonly to: 'user'; readonly onDelete: OnDelete };

/**
 * How a field users do not write gets its value. A stored computation (aggregate, sequence) is
 * filled in for existing rows when the field is added: the storage layer runs the backfill this
 * kind names (schema-sync), so the type stays free of SQL.
 */
export type Computation =
  /** Evaluated from the record whenever it is read (formula); never stored. */
  | { readonly kind: 'expression'; readonly expression: unknown }
  /** Aggregated from child records (rollup), stored and recomputed with every child write. */
  | { readonly kind: 'aggregate'; readonly rollup: RollupField }
  /** Numbered from a gap-free counter as records are created (autonumber). */
  | { readonly kind: 'sequence'; readonly pattern: string; readonly startAt: number };

/** A rename to follow through a field definition: a field of `object`, or the object `from` itself. */
export interface DefinitionRename {
  readonly kind: 'field' | 'object';
  /** The object whose field is renamed (field renames). */
  readonly object: string;
  readonly from: string;
  readonly to: string;
  /** The definition belongs to `object` (a field rename of its own object). */
  readonly own: boolean;
  /** Renames `var` paths of a JSON-Logic rule (metadata/references, which this layer cannot import). */
  renameVars(rule: unknown): unknown;
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

  // Capabilities: what other parts of the engine ask of a type instead of comparing its name.
  /** Its value can name a record: an object's title_field may be of this type. */
  readonly nameable?: boolean;
  /** What the value points at (absent: a plain value). */
  reference?(def: D): FieldReference;
  /** How the value is computed (absent: users write it). */
  computed?(def: D): Computation;
  /** The value a new record starts with before anything is computed (rollup count and sum: 0). */
  initialValue?(def: D): unknown;
  /** The values a controlling field offers to the options of a dependent select (dependent picklists). */
  controllingValues?(def: D): readonly string[];
  /** A calendar date or instant users set: date-based workflow triggers count from it. */
  readonly temporal?: 'date' | 'datetime';
  /** What an email sent "to" this field reaches: the address it holds, or the user it names. */
  readonly emailRecipient?: 'address' | 'user';
  /** A pattern the definition itself sets: input that does not match gets the `pattern` issue, not `type`. */
  declaredPattern?(def: D): string | undefined;
  /** A spreadsheet cell as input of this type, for the record pipeline to check (absent: the trimmed text). */
  fromCell?(cell: string): unknown;
  /** The definition with names it refers to renamed (absent: it refers to no other field or object). */
  renamed?(def: D, rename: DefinitionRename): D;
}
