import { mkdirSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { median } from './timing';

/** One measured figure next to the baseline measured in the same run. */
export interface Figure {
  figure: string;
  value: number;
  unit: string;
  /** The baseline's value for the same figure, or null when the figure has no baseline. */
  baseline: number | null;
  /** value / baseline (for "higher is better" units) or baseline / value (for times); null without a baseline. */
  ratio: number | null;
  /** Spread over the rounds (min..max) of the value, the baseline and the per-round ratio, when measured in rounds. */
  spread?: { value: [number, number]; baseline: [number, number] | null; ratio: [number, number] | null };
}

const resultsDir = join(dirname(fileURLToPath(import.meta.url)), '..', 'results');

/** Builds a figure; `higherIsBetter` decides which way the ratio points so that > 1 always means "ours is better". */
export function figure(name: string, value: number, unit: string, baseline: number | null, higherIsBetter: boolean): Figure {
  const ratio = baseline === null || baseline === 0 || value === 0 ? null : higherIsBetter ? value / baseline : baseline / value;
  return { figure: name, value: round(value), unit, baseline: baseline === null ? null : round(baseline), ratio: ratio === null ? null : round(ratio, 3) };
}

function round(n: number, digits = 2): number {
  const f = 10 ** digits;
  return Math.round(n * f) / f;
}

/**
 * A figure from alternating rounds: the median of each side, the ratio of the medians, and the
 * spread (min..max) of each side and of the round-by-round ratios.
 */
export function figureOfRounds(name: string, unit: string, values: number[], baselines: number[], higherIsBetter: boolean): Figure {
  const f = figure(name, median(values), unit, median(baselines), higherIsBetter);
  const ratios = values.map((v, i) => figure(name, v, unit, baselines[i]!, higherIsBetter).ratio).filter((r): r is number => r !== null);
  const span = (xs: number[], digits?: number): [number, number] => [round(Math.min(...xs), digits), round(Math.max(...xs), digits)];
  return { ...f, spread: { value: span(values), baseline: span(baselines), ratio: ratios.length ? span(ratios, 3) : null } };
}

export function report(name: string, figures: Figure[]): void {
  mkdirSync(resultsDir, { recursive: true });
  writeFileSync(join(resultsDir, `${name}.json`), JSON.stringify(figures, null, 2) + '\n');
  const range = (r: [number, number] | null | undefined, suffix: string) => (r ? ` (${r[0]}..${r[1]}${suffix})` : '');
  const rows = figures.map((f) => [
    f.figure,
    `${f.value} ${f.unit}${range(f.spread?.value, '')}`,
    f.baseline === null ? '-' : `${f.baseline} ${f.unit}${range(f.spread?.baseline, '')}`,
    f.ratio === null ? '-' : `${f.ratio}x${range(f.spread?.ratio, 'x')}`,
  ]);
  const header = ['figure', 'value', 'baseline', 'ratio'];
  const widths = header.map((h, i) => Math.max(h.length, ...rows.map((r) => r[i]!.length)));
  const line = (cells: string[]) => cells.map((c, i) => c.padEnd(widths[i]!)).join('  ');
  console.log(`\n${name}`);
  console.log(line(header));
  for (const r of rows) console.log(line(r));
  console.log(`(written to bench/results/${name}.json)`);
}
