import type { Compilers, RuleMode } from '../core/compilers';
import { defaultCompilers } from '../metadata/default-compilers';

/** The engine's own compilers (EngineOptions.compilers), noting every rule and schema they are asked to compile. */
export interface CountingCompilers {
  readonly compilers: Compilers;
  readonly rules: readonly { readonly rule: unknown; readonly mode: RuleMode }[];
  readonly schemas: readonly object[];
  /** Forgets what was noted so far. */
  reset(): void;
}

export function countingCompilers(): CountingCompilers {
  const rules: { rule: unknown; mode: RuleMode }[] = [];
  const schemas: object[] = [];
  return {
    compilers: {
      rule(rule, mode) {
        rules.push({ rule, mode });
        return defaultCompilers.rule(rule, mode);
      },
      schema(schema) {
        schemas.push(schema);
        return defaultCompilers.schema(schema);
      },
    },
    rules,
    schemas,
    reset() {
      rules.length = 0;
      schemas.length = 0;
    },
  };
}
