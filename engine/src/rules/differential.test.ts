import jsonLogic from 'json-logic-js';
import { describe, expect, it } from 'vitest';
import { compileCondition, compileRule, truthy } from './compile-js';
import { outcome, sameOutcome, seededRandom, testSeed } from './test-support/random';
import { randomData, randomRule } from './test-support/random-js-rules';

const RULES = 4000;
const DATA_PER_RULE = 5;

describe('compiled rules against json-logic-js', () => {
  it('agree on random rules over the whole operation set and random data', () => {
    const seed = testSeed();
    const random = seededRandom(seed);
    for (let i = 0; i < RULES; i++) {
      const rule = randomRule(random);
      const compiled = compileRule(rule);
      const condition = compileCondition(rule);
      for (let j = 0; j < DATA_PER_RULE; j++) {
        const data = randomData(random);
        const theirs = outcome(() => jsonLogic.apply(rule as never, data));
        const ours = outcome(() => compiled(data));
        const context = `seed ${seed} (replay with RULES_SEED=${seed}), rule ${JSON.stringify(rule)}, data ${JSON.stringify(data)}`;
        expect(sameOutcome(ours, theirs), `value differs: ${context}: ours ${JSON.stringify(ours)}, json-logic-js ${JSON.stringify(theirs)}`).toBe(true);
        const asCondition = outcome(() => condition(data));
        const expected = theirs.ok ? { ok: true as const, value: truthy(theirs.value) } : theirs;
        expect(sameOutcome(asCondition, expected), `truthiness differs: ${context}`).toBe(true);
      }
    }
  });
});
