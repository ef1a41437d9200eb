import type { I18nText } from '../metadata/i18n';
import { mapRuleVarPaths } from '../metadata/references';
import type { StoredElement } from '../metadata/snapshot';
import type { ValidationRuleDefinition } from '../metadata/types';
import { compileCondition } from '../rules';
import { fieldOfPath } from './scope';

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

/** Every field a validation rule's condition reads, `$old.<field>` counted as its field. */
export function validationRuleReads(condition: unknown): Set<string> {
  const fields = new Set<string>();
  mapRuleVarPaths(condition, (path) => {
    const field = fieldOfPath(path);
    if (field) fields.add(field);
    return path;
  });
  return fields;
}

/**
 * The active rules of one object, in name order (so errors list them the same way every time).
 * Stored rules were validated when saved; one that still fails to compile (a compiler change
 * since) fails every write it checks instead of taking the whole metadata down.
 */
export function compileValidationRules(stored: readonly StoredElement<ValidationRuleDefinition>[]): readonly CompiledValidationRule[] {
  return Object.freeze(
    stored
      .map((s) => s.definition)
      .filter((rule) => rule.active !== false)
      .sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0))
      .map((rule): CompiledValidationRule => {
        let holds: CompiledValidationRule['holds'];
        try {
          holds = compileCondition(rule.condition);
        } catch (error) {
          holds = () => {
            throw error;
          };
        }
        return Object.freeze({
          name: rule.name,
          message: rule.message,
          paths: Object.freeze(rule.fields.length > 0 ? [...rule.fields] : ['']),
          holds,
          reads: validationRuleReads(rule.condition),
        });
      }),
  );
}
