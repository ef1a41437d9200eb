import { existsSync, readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

/**
 * The shared JSON-Logic suites (README of ../shared/conformance): <repo root>/../shared/conformance.
 * Read where they are, never copied into the repository; absent, the tests say so and skip.
 */
export const CONFORMANCE_FOLDER = fileURLToPath(new URL('../../../../../shared/conformance/jsonlogic/', import.meta.url));

export interface ConformanceCase {
  name: string;
  rule: unknown;
  data: unknown;
  expected: unknown;
}

export interface ConformanceSuites {
  /** False when the folder is absent (then both lists are empty). */
  readonly present: boolean;
  /** tests.json: the jsonlogic.com reference suite (277 cases). */
  readonly reference: ConformanceCase[];
  /** compatible.json: the compat-tables baseline (278 cases). */
  readonly compatible: ConformanceCase[];
}

export function loadConformanceSuites(): ConformanceSuites {
  const present = existsSync(`${CONFORMANCE_FOLDER}tests.json`) && existsSync(`${CONFORMANCE_FOLDER}compatible.json`);
  if (!present) {
    console.warn(`JSON-Logic conformance skipped: ${CONFORMANCE_FOLDER} is absent (the shared/ folder is not beside this checkout)`);
    return { present, reference: [], compatible: [] };
  }
  const tests = JSON.parse(readFileSync(`${CONFORMANCE_FOLDER}tests.json`, 'utf8')) as unknown[];
  const compat = JSON.parse(readFileSync(`${CONFORMANCE_FOLDER}compatible.json`, 'utf8')) as unknown[];
  const reference = tests
    .filter((t): t is [unknown, unknown, unknown] => Array.isArray(t))
    .map(([rule, data, expected], i) => ({ name: `#${i} ${JSON.stringify(rule)} on ${JSON.stringify(data)}`, rule, data, expected }));
  const compatible = compat
    .filter((t): t is { description: string; rule: unknown; data?: unknown; result?: unknown } => typeof t === 'object' && t !== null)
    .map((t, i) => ({ name: `#${i} ${t.description}`, rule: t.rule, data: t.data, expected: t.result }));
  return { present, reference, compatible };
}
