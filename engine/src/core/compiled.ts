import type { SchemaValidateFunction } from './compilers';
import type { FieldTypeModule, Storage, AutonumberFormat } from '../field-types';
import type { JsonLogicRule, RuleScope, ValueKind } from '../rules/scope';
import type { I18nText } from '../documents/i18n';
import type { FieldDefinition, ObjectDefinition, RollupAggregate } from '../documents/types';

/** The compiled, frozen form of the metadata at one revision: what the record pipeline runs on. */

export type EvaluateRule = (data: Record<string, unknown>) => unknown;

export interface CompiledField {
  /** Metadata row id; null for system fields. */
  readonly id: string | null;
  readonly name: string;
  readonly system: boolean;
  readonly definition: FieldDefinition;
  readonly type: FieldTypeModule;
  readonly storage: Storage;
  readonly kind: ValueKind;
  /** The column holding the value; null for fields computed on read. */
  readonly column: string | null;
  /** A caller may set it (on create; on update unless it is immutable). */
  readonly writable: boolean;
}

export interface CompiledFormula {
  readonly field: CompiledField;
  readonly evaluate: EvaluateRule;
  /** Fields the expression reads (so a field selection can fetch them). */
  readonly reads: readonly string[];
}

export interface CompiledDefault {
  readonly field: CompiledField;
  readonly evaluate: EvaluateRule;
}

export interface CompiledAutonumber {
  readonly field: CompiledField;
  readonly format: AutonumberFormat;
  readonly startAt: number;
}

/** A rollup on a parent object that aggregates this (child) object's records. */
export interface RollupLink {
  readonly parentObject: string;
  readonly parentTable: string;
  readonly rollupColumn: string;
  readonly aggregate: RollupAggregate;
  /** The child's column pointing at the parent. */
  readonly relationshipColumn: string;
  /** The child's aggregated column (null for count). */
  readonly aggregateColumn: string | null;
  readonly filter: JsonLogicRule | undefined;
  /** Child fields whose change can change the rollup's value. */
  readonly dependsOn: ReadonlySet<string>;
}

/** A lookup or master-detail field of some object that points at this object. */
export interface IncomingReference {
  readonly object: string;
  readonly table: string;
  readonly field: string;
  readonly column: string;
  readonly onDelete: 'restrict' | 'set_null' | 'cascade';
}

/**
 * What document kinds add to a compiled object (their documents by name, compiled rules). Empty
 * here: each kind adds its part from its folder by module augmentation and fills it in its
 * DocumentKind.compile (e.g. workflows/workflow-kind.ts adds `workflows` and `activeWorkflows`).
 */
// eslint-disable-next-line @typescript-eslint/no-empty-object-type
export interface CompiledObjectDocuments {}

/** An active validation rule, compiled once per metadata revision. */
export interface CompiledValidationRule {
  readonly name: string;
  readonly message: I18nText;
  /** Where its error points: the fields named, or '' for the record as a whole. */
  readonly paths: readonly string[];
  /** Whether the condition holds for the rule data; may throw (a throwing rule counts as failing). */
  readonly holds: (data: Record<string, unknown>) => boolean;
  /** Fields (current or `$old`) the condition reads, so formulas are computed only when read. */
  readonly reads: ReadonlySet<string>;
}

/** An object's fields, compiled (core/input-object.ts compileObjectFields). */
export interface ObjectFields {
  /** System fields first, then user fields in their order. */
  readonly fields: readonly CompiledField[];
  readonly userFields: readonly CompiledField[];
  readonly fieldsByName: ReadonlyMap<string, CompiledField>;
}

/**
 * What checking a record input needs of an object: built from its documents alone by core's
 * compileInputObject (in the browser too); the server's CompiledObject is a superset.
 */
export interface InputObject extends ObjectFields {
  readonly name: string;
  readonly definition: ObjectDefinition;
  readonly formulas: readonly CompiledFormula[];
  readonly defaults: readonly CompiledDefault[];
  /** The active validation rules, compiled, in name order: every create and update runs them (none: no cost). */
  readonly activeValidationRules: readonly CompiledValidationRule[];
  /** The validator of a record input (the schema of core's recordInputSchema), compiled on first use. */
  readonly inputValidator: () => SchemaValidateFunction;
}

export interface CompiledObject extends InputObject, CompiledObjectDocuments {
  readonly id: string;
  readonly table: string;
  /** Every stored column, system columns included. */
  readonly columns: readonly string[];
  /** What rules on this object may read (fields and `$user`, `$now`, `$today`). */
  readonly scope: RuleScope;
  readonly autonumbers: readonly CompiledAutonumber[];
  readonly rollupsOnParents: readonly RollupLink[];
  readonly incomingReferences: readonly IncomingReference[];
  readonly searchColumns: readonly string[];
  /** Each searched column's pinyin search key column (migrations/search-key.ts): written with it, never returned. */
  readonly searchKeys: ReadonlyMap<string, string>;
}
