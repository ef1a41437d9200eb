/**
 * `pnpm bench rules`: typical CRM rules over 100,000 generated records, evaluated by our
 * compiled functions, by json-logic-js `apply`, and by json-logic-engine's compiled mode
 * (the baseline: the fastest JavaScript JSON-Logic we know of, though not json-logic-js
 * compatible on nulls and division by zero). Reports operations (rule x record) per second.
 */
import { LogicEngine } from 'json-logic-engine';
import jsonLogic from 'json-logic-js';
import { compileRule, truthy } from '@crm/engine/rules';
import { figure, report, type Figure } from './lib/results';

const RECORDS = 100_000;
const ROUNDS = 5;

const STAGES = ['prospecting', 'qualification', 'proposal', 'negotiation', 'closed_won', 'closed_lost'];

const RULES: Readonly<Record<string, unknown>> = {
  validation: { and: [{ '>': [{ var: 'amount' }, 0] }, { in: [{ var: 'stage' }, STAGES] }] },
  formula: { '*': [{ var: 'price' }, { var: 'quantity' }, { '-': [1, { '/': [{ var: 'discount' }, 100] }] }] },
  'if chain': {
    if: [
      { '>=': [{ var: 'amount' }, 100_000] }, 'enterprise',
      { '>=': [{ var: 'amount' }, 10_000] }, 'mid-market',
      { '>': [{ var: 'amount' }, 0] }, 'smb',
      'none',
    ],
  },
  'cat of names': { cat: [{ var: 'first_name' }, ' ', { var: 'last_name' }] },
  missing: { missing: ['email', 'phone', 'company'] },
  'some in multiselect': { some: [{ var: 'tags' }, { '==': [{ var: '' }, 'vip'] }] },
};

/** Deterministic records with the gaps real data has: nulls, empty strings, no tags. */
function records(): Record<string, unknown>[] {
  let state = 42;
  const next = () => {
    state = (state * 1103515245 + 12345) % 2 ** 31;
    return state / 2 ** 31;
  };
  const pick = <T>(items: readonly T[]): T => items[Math.floor(next() * items.length)]!;
  return Array.from({ length: RECORDS }, (_, i) => ({
    id: i,
    amount: next() < 0.05 ? null : Math.round((next() * 200_000 - 10_000) * 100) / 100,
    stage: pick([...STAGES, 'unknown', null]),
    price: Math.round(next() * 1000 * 100) / 100,
    quantity: Math.floor(next() * 20),
    discount: pick([0, 5, 10, 12.5, 25, null]),
    first_name: pick(['Ada', 'Grace', 'Linus', 'Margaret', '', null]),
    last_name: pick(['Lovelace', 'Hopper', 'Torvalds', 'Hamilton']),
    email: next() < 0.2 ? null : `user${i}@example.com`,
    phone: pick(['', '+1 555 0100', null]),
    company: pick(['Acme', 'Globex', '', null]),
    tags: next() < 0.3 ? null : pick([['vip'], ['new', 'vip'], ['churn-risk'], ['new', 'partner', 'smb']]),
  }));
}

/** Best of several passes over all records; the checksum keeps the work observable. */
function opsPerSecond(evaluate: (data: unknown) => unknown, data: readonly unknown[]): number {
  let checksum = 0;
  for (const record of data) if (truthy(evaluate(record))) checksum++;
  let best = 0;
  for (let round = 0; round < ROUNDS; round++) {
    const start = performance.now();
    for (const record of data) if (truthy(evaluate(record))) checksum++;
    const seconds = (performance.now() - start) / 1000;
    best = Math.max(best, data.length / seconds);
  }
  if (checksum < 0) console.log(checksum);
  return best;
}

export async function run(): Promise<void> {
  const data = records();
  const engine = new LogicEngine();
  const figures: Figure[] = [];
  const ratiosToEngine: number[] = [];
  const ratiosToReference: number[] = [];
  console.log(`rules: ${Object.keys(RULES).length} rules x ${RECORDS.toLocaleString('en')} records, best of ${ROUNDS} passes`);
  for (const [name, rule] of Object.entries(RULES)) {
    const ours = compileRule(rule);
    const theirs = engine.build(rule as never) as (data: unknown) => unknown;
    const reference = (record: unknown) => jsonLogic.apply(rule as never, record);

    // Same answers as json-logic-js on every record, or the figure means nothing.
    const disagreements = data.filter((record) => JSON.stringify(ours(record)) !== JSON.stringify(reference(record))).length;
    if (disagreements > 0) throw new Error(`${name}: ${disagreements} records differ from json-logic-js`);
    const engineDiffers = data.filter((record) => JSON.stringify(theirs(record)) !== JSON.stringify(reference(record))).length;

    const baseline = opsPerSecond(theirs, data);
    const compiled = opsPerSecond(ours, data);
    const interpreted = opsPerSecond(reference, data);
    figures.push(figure(`${name}: compiled (ours)`, compiled, 'ops/s', baseline, true));
    figures.push(figure(`${name}: json-logic-js apply`, interpreted, 'ops/s', baseline, true));
    ratiosToEngine.push(compiled / baseline);
    ratiosToReference.push(compiled / interpreted);
    console.log(
      `  ${name.padEnd(20)} ours ${(compiled / 1e6).toFixed(1)}M/s, json-logic-engine ${(baseline / 1e6).toFixed(1)}M/s ` +
        `(${(compiled / baseline).toFixed(2)}x), json-logic-js ${(interpreted / 1e6).toFixed(2)}M/s (ours ${(compiled / interpreted).toFixed(1)}x)` +
        (engineDiffers > 0 ? `; json-logic-engine differs from json-logic-js on ${engineDiffers} records` : ''),
    );
  }
  const geometricMean = (xs: number[]) => Math.exp(xs.reduce((sum, x) => sum + Math.log(x), 0) / xs.length);
  console.log(
    `  geometric mean: ${geometricMean(ratiosToEngine).toFixed(2)}x json-logic-engine compiled, ` +
      `${geometricMean(ratiosToReference).toFixed(1)}x json-logic-js`,
  );
  figures.push(figure('geometric mean speed-up vs json-logic-engine compiled', geometricMean(ratiosToEngine), 'x', null, true));
  figures.push(figure('geometric mean speed-up vs json-logic-js', geometricMean(ratiosToReference), 'x', null, true));
  report('rules', figures);
}
