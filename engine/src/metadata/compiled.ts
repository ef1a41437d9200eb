import type { ApprovalProcessDefinition } from '../approvals/types';
import type { SchemaValidateFunction } from '../core/compilers';
import type { FieldTypeModule, Storage, AutonumberFormat } from '../field-types';
import type { JsonLogicRule, RuleScope, ValueKind } from '../rules/scope';
import type {
  FieldDefinition,
  LayoutDefinition,
  ObjectDefinition,
  RollupAggregate,
  ValidationRuleDefinition,
  ViewDefinition,
} from './types';
import type { CompiledValidationRule } from '../validation-rules/compile-validation-rules';
import type { CompiledObjectWorkflows } from '../workflows/compile-workflows';
import type { WorkflowDefinition } from '../workflows/types';

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
 * What checking a record input needs of an object: built from its documents alone by core's
 * compileInputObject (in the browser too); the server's CompiledObject is a superset.
 */
export interface InputObject {
  readonly name: string;
  readonly definition: ObjectDefinition;
  /** System fields first, then user fields in their order. */
  readonly fields: readonly CompiledField[];
  readonly userFields: readonly CompiledField[];
  readonly fieldsByName: ReadonlyMap<string, CompiledField>;
  readonly formulas: readonly CompiledFormula[];
  readonly defaults: readonly CompiledDefault[];
  /** The active validation rules, compiled, in name order: every create and update runs them (none: no cost). */
  readonly activeValidationRules: readonly CompiledValidationRule[];
  /** The validator of a record input (the schema of core's recordInputSchema), compiled on first use. */
  readonly inputValidator: () => SchemaValidateFunction;
}

export interface CompiledObject extends InputObject {
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
  readonly layouts: ReadonlyMap<string, LayoutDefinition>;
  readonly views: ReadonlyMap<string, ViewDefinition>;
  /** Validation rule documents by name, active or not (what the metadata API serves). */
  readonly validationRules: ReadonlyMap<string, ValidationRuleDefinition>;
  /**
   * Approval process documents by name, in creation order, active or not. While any exists, a
   * record's writes check for a pending approval request (an inactive process may still have some).
   */
  readonly approvalProcesses: ReadonlyMap<string, ApprovalProcessDefinition>;
  /** Workflow documents by name, active or not (what the metadata API serves). */
  readonly workflows: ReadonlyMap<string, WorkflowDefinition>;
  /** The active ones, compiled: which record events have work (none: writes pay nothing). */
  readonly activeWorkflows: CompiledObjectWorkflows;
}
