import type { Compilers } from './compilers';
import type { I18nText } from '../documents/i18n';
import type { ValidationRuleDefinition } from '../documents/types';
import { mapRuleVarPaths } from '../rules/var-paths';
import { fieldOfPath } from './validation-rule-scope';

export type { CompiledValidationRule } from './compiled';
import type { CompiledValidationRule } from './compiled';

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
 * Conditions are compiled through `compilers` (core/compilers.ts). Stored rules were validated
 * when saved; one that still fails to compile (a compiler change since, a browser missing its
 * generated function) fails every write it checks instead of taking the whole metadata down.
 */
export function compileValidationRules(definitions: readonly ValidationRuleDefinition[], compilers: Compilers): readonly CompiledValidationRule[] {
  return Object.freeze(
    definitions
      .filter((rule) => rule.active !== false)
      .sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0))
      .map((rule): CompiledValidationRule => {
        let holds: CompiledValidationRule['holds'];
        try {
          holds = compilers.rule(rule.condition, 'boolean') as CompiledValidationRule['holds'];
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
