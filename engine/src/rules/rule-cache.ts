import { compileCondition, compileRule, type CompiledCondition, type CompiledRule } from './compile-js';

/**
 * Rules that documents carry in their own copies (a workflow's actions and field assignments, a
 * running approval request's process) are compiled once per distinct rule text, not per run: a
 * bounded cache keyed by the rule's JSON, emptied when full.
 */
const MAX_CACHED = 2000;

function boundedCache<T>(compile: (rule: unknown) => T): (rule: unknown) => T {
  const cache = new Map<string, T>();
  return (rule) => {
    const key = JSON.stringify(rule);
    let found = cache.get(key);
    if (!found) {
      if (cache.size >= MAX_CACHED) cache.clear();
      found = compile(rule);
      cache.set(key, found);
    }
    return found;
  };
}

/** compileRule, cached. Throws as compileRule does (a throwing compile is not cached). */
export const cachedRule = boundedCache<CompiledRule>((rule) => compileRule(rule));
/** compileCondition, cached. */
export const cachedCondition = boundedCache<CompiledCondition>((rule) => compileCondition(rule));
