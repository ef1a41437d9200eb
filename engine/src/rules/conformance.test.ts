import { beforeAll, describe, expect, it } from 'vitest';
import { moduleCompilers, type ModuleCompilers } from '../core/module-compilers';
import { compileToClosures } from './closure-evaluator';
import { compileCondition, compileRule, truthy } from './compile-js';
import { generateStandaloneModule } from '../client/standalone-module';
import { importModuleSource } from '../testing/import-module-source';
import { loadConformanceSuites, type ConformanceCase } from './test-support/conformance-cases';
import { LOWER_CASES, referenceJsonLogic as jsonLogic } from './test-support/lower-reference';
import { outcome, sameOutcome, sameResult } from './test-support/random';

const { present, reference, compatible } = loadConformanceSuites();

/**
 * Every case through the three ways a rule runs: compiled with new Function (the server), the
 * same generated code from a standalone module (browsers under `script-src 'self'`; the same
 * module runs in Chromium in tests/browser/), and the closure evaluator (rules met at run time).
 */
let standalone: ModuleCompilers;
beforeAll(async () => {
  const rules = [...reference, ...compatible, ...LOWER_CASES].flatMap(({ rule }) => [
    { rule, mode: 'value' as const },
    { rule, mode: 'boolean' as const },
  ]);
  standalone = moduleCompilers(await importModuleSource(generateStandaloneModule({ rules, schemas: [] })));
});

function check({ rule, data, expected }: ConformanceCase): void {
  const compiled = compileRule(rule);
  const got = compiled(data);
  expect(sameResult(got, expected), `got ${JSON.stringify(got)}, expected ${JSON.stringify(expected)}`).toBe(true);
  const ours = outcome(() => compiled(data));
  const theirs = outcome(() => jsonLogic.apply(rule as never, data));
  expect(sameOutcome(ours, theirs), 'disagrees with json-logic-js').toBe(true);
  expect(compileCondition(rule)(data)).toBe(truthy(expected));
  expect(sameOutcome(outcome(() => standalone.rule(rule, 'value')(data)), ours), 'the standalone module disagrees').toBe(true);
  expect(standalone.rule(rule, 'boolean')(data)).toBe(truthy(expected));
  expect(sameOutcome(outcome(() => compileToClosures(rule)(data)), ours), 'the closure evaluator disagrees').toBe(true);
}

describe.skipIf(!present)('JSON-Logic conformance: tests.json (jsonlogic.com reference suite)', () => {
  it('has all 277 cases', () => expect(reference).toHaveLength(277));
  it.each(reference)('$name', check);
});

describe.skipIf(!present)('JSON-Logic conformance: compatible.json (compat-tables baseline)', () => {
  it('has all 278 cases', () => expect(compatible).toHaveLength(278));
  it.each(compatible)('$name', check);
});

describe('JSON-Logic conformance: lower, the one added operation (json-logic-js taught it in test-support/lower-reference.ts)', () => {
  it.each(LOWER_CASES)('$name', check);
});
