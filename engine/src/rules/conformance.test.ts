import { existsSync, readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import jsonLogic from 'json-logic-js';
import { describe, expect, it } from 'vitest';
import { compileCondition, compileRule, truthy } from './compile-js';
import { outcome, sameOutcome, sameResult } from './test-support/random';

/** The shared JSON-Logic suites live beside the repository: <repo root>/../shared/conformance. */
const folder = fileURLToPath(new URL('../../../../shared/conformance/jsonlogic/', import.meta.url));
const present = existsSync(`${folder}tests.json`) && existsSync(`${folder}compatible.json`);
if (!present) {
  console.warn(`JSON-Logic conformance skipped: ${folder} is absent (the shared/ folder is not beside this checkout)`);
}

interface Case {
  name: string;
  rule: unknown;
  data: unknown;
  expected: unknown;
}

function load(): { reference: Case[]; compatible: Case[] } {
  if (!present) return { reference: [], compatible: [] };
  const tests = JSON.parse(readFileSync(`${folder}tests.json`, 'utf8')) as unknown[];
  const compat = JSON.parse(readFileSync(`${folder}compatible.json`, 'utf8')) as unknown[];
  const reference = tests
    .filter((t): t is [unknown, unknown, unknown] => Array.isArray(t))
    .map(([rule, data, expected], i) => ({ name: `#${i} ${JSON.stringify(rule)} on ${JSON.stringify(data)}`, rule, data, expected }));
  const compatible = compat
    .filter((t): t is { description: string; rule: unknown; data?: unknown; result?: unknown } => typeof t === 'object' && t !== null)
    .map((t, i) => ({ name: `#${i} ${t.description}`, rule: t.rule, data: t.data, expected: t.result }));
  return { reference, compatible };
}

const { reference, compatible } = load();

function check({ rule, data, expected }: Case): void {
  const compiled = compileRule(rule);
  const got = compiled(data);
  expect(sameResult(got, expected), `got ${JSON.stringify(got)}, expected ${JSON.stringify(expected)}`).toBe(true);
  const ours = outcome(() => compiled(data));
  const theirs = outcome(() => jsonLogic.apply(rule as never, data));
  expect(sameOutcome(ours, theirs), 'disagrees with json-logic-js').toBe(true);
  expect(compileCondition(rule)(data)).toBe(truthy(expected));
}

describe.skipIf(!present)('JSON-Logic conformance: tests.json (jsonlogic.com reference suite)', () => {
  it('has all 277 cases', () => expect(reference).toHaveLength(277));
  it.each(reference)('$name', check);
});

describe.skipIf(!present)('JSON-Logic conformance: compatible.json (compat-tables baseline)', () => {
  it('has all 278 cases', () => expect(compatible).toHaveLength(278));
  it.each(compatible)('$name', check);
});
