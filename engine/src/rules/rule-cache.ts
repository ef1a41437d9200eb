import { LRUCache } from 'lru-cache';
import { compileCondition, compileRule, type CompiledCondition, type CompiledRule } from './compile-js';
import { ruleKey } from './module-keys';
import type { RuleMode } from './js-generator';

/**
 * Rules that documents carry in their own copies (a workflow's actions and field assignments, a
 * running approval request's process) are compiled once per distinct rule text, not per run. Keyed
 * like the metadata's compilers (ruleKey keeps -0 apart from 0, which JSON text does not), bounded,
 * least recently used forgotten first. A rule that fails to compile is not kept: it throws every time.
 */
const MAX_CACHED = 2000;

function cached<F extends object>(mode: RuleMode, compile: (rule: unknown) => F): (rule: unknown) => F {
  const kept = new LRUCache<string, F>({ max: MAX_CACHED });
  return (rule) => {
    const key = ruleKey(rule, mode);
    let found = kept.get(key);
    if (!found) {
      found = compile(rule);
      kept.set(key, found);
    }
    return found;
  };
}

/** compileRule, cached. Throws as compileRule does. */
export const cachedRule = cached<CompiledRule>('value', (rule) => compileRule(rule));
/** compileCondition, cached. */
export const cachedCondition = cached<CompiledCondition>('boolean', (rule) => compileCondition(rule));
