import { byName, type DocumentKind } from '../metadata/document-kind';
import { validationRuleSchema } from '../metadata/schemas';
import type { StoredElement } from '../metadata/snapshot';
import type { ValidationRuleDefinition } from '../metadata/types';
import { validationRuleScope } from './scope';
import { validationRuleFieldRemoval, validationRuleFieldRename } from './validation-rule-references';

declare module '../metadata/snapshot' {
  interface StoredObjectDocuments {
    readonly validationRules: readonly StoredElement<ValidationRuleDefinition>[];
  }
}
declare module '../core/compiled' {
  interface CompiledObjectDocuments {
    /** Validation rule documents by name, active or not (what the metadata API serves). */
    readonly validationRules: ReadonlyMap<string, ValidationRuleDefinition>;
  }
}

/** Validation rules as a document kind: loaded by name, so they run and report in name order. */
export const validationRuleKind: DocumentKind = {
  kind: 'validation_rule',
  plural: 'validation_rules',
  schema: validationRuleSchema,
  storage: { table: 'crm_meta.validation_rules', key: 'validationRules', order: 'name' },
  // The fields they point at, and a condition over known variables only.
  check: (context) => {
    for (const { definition: rule } of context.object.validationRules) {
      context.checkFieldNames(rule.name, 'fields', rule.fields);
      context.checkRule(rule.name, 'condition', rule.condition, validationRuleScope(context.fields));
    }
  },
  // The active rules are compiled with the object's input check (core/input-object.ts), which the browser shares.
  compile: (object) => ({ validationRules: byName(object.validationRules) }),
  renameField: validationRuleFieldRename,
  removeField: validationRuleFieldRemoval,
  usages: [
    [/^condition/, 'reads_condition'],
    [/^fields/, 'points_at'],
  ],
};
