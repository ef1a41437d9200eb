import type { CompiledField } from './compiled';
import { fieldsScope } from './rule-scope';
import type { RuleScope, RuleVariable } from '../rules/scope';

/** `$old.<field>`: the stored value before an update (null on create). */
export const OLD_PREFIX = '$old.';

/**
 * What a validation rule may read: every field of its object (system fields and formulas
 * included), `$user.*`, `$now`, `$today` (as formulas and defaults may), and `$old.<field>` for
 * each of those fields. Validation rules run in JavaScript only, so nothing here needs SQL.
 */
export function validationRuleScope(fields: ReadonlyMap<string, CompiledField>): RuleScope {
  const current = fieldsScope(fields);
  return {
    resolve(path: string): RuleVariable | undefined {
      if (!path.startsWith(OLD_PREFIX)) return current.resolve(path);
      const field = fields.get(path.slice(OLD_PREFIX.length));
      return field ? { kind: field.kind } : undefined;
    },
  };
}

/** The field a variable path of a validation rule names (`stage`, `$old.stage` -> `stage`), if any. */
export function fieldOfPath(path: string): string | undefined {
  if (path.startsWith(OLD_PREFIX)) return path.slice(OLD_PREFIX.length).split('.')[0];
  if (path.startsWith('$')) return undefined;
  return path.split('.')[0];
}
