import { describe, expect, it } from 'vitest';
import { moduleCompilers } from '../core/module-compilers';
import { compileToClosures } from './closure-evaluator';
import { compileCondition, compileRule, truthy } from './compile-js';
import { generateStandaloneModule } from '../client/standalone-module';
import { importModuleSource } from '../testing/import-module-source';
import { referenceJsonLogic as jsonLogic } from './test-support/lower-reference';
import { outcome, sameOutcome, seededRandom, testSeed } from './test-support/random';
import { randomData, randomRule } from './test-support/random-js-rules';

const RULES = 4000;
const DATA_PER_RULE = 5;
/** Rules also run from a standalone module (each adds ~1.5 kB of source and generation time). */
const STANDALONE_RULES = 1000;

describe('compiled rules against json-logic-js', () => {
  it('agree on random rules over the whole operation set and random data, compiled, from a standalone module and as closures', async () => {
    const seed = testSeed();
    const random = seededRandom(seed);
    const rules = Array.from({ length: RULES }, () => randomRule(random));
    const standalone = moduleCompilers(
      await importModuleSource(generateStandaloneModule({ rules: rules.slice(0, STANDALONE_RULES).flatMap((rule) => [{ rule, mode: 'value' as const }, { rule, mode: 'boolean' as const }]), schemas: [] })),
    );
    for (const [i, rule] of rules.entries()) {
      const compiled = compileRule(rule);
      const condition = compileCondition(rule);
      const fromModule = i < STANDALONE_RULES ? standalone.rule(rule, 'value') : compiled;
      const conditionFromModule = i < STANDALONE_RULES ? standalone.rule(rule, 'boolean') : condition;
      const closures = compileToClosures(rule);
      for (let j = 0; j < DATA_PER_RULE; j++) {
        const data = randomData(random);
        const theirs = outcome(() => jsonLogic.apply(rule as never, data));
        const ours = outcome(() => compiled(data));
        const context = `seed ${seed} (replay with RULES_SEED=${seed}), rule ${JSON.stringify(rule)}, data ${JSON.stringify(data)}`;
        expect(sameOutcome(ours, theirs), `value differs: ${context}: ours ${JSON.stringify(ours)}, json-logic-js ${JSON.stringify(theirs)}`).toBe(true);
        const asCondition = outcome(() => condition(data));
        const expected = theirs.ok ? { ok: true as const, value: truthy(theirs.value) } : theirs;
        expect(sameOutcome(asCondition, expected), `truthiness differs: ${context}`).toBe(true);
        expect(sameOutcome(outcome(() => fromModule(data)), ours), `standalone module differs: ${context}`).toBe(true);
        expect(sameOutcome(outcome(() => conditionFromModule(data)), expected), `standalone condition differs: ${context}`).toBe(true);
        expect(sameOutcome(outcome(() => closures(data)), ours), `closure evaluator differs: ${context}`).toBe(true);
      }
    }
  });
});
