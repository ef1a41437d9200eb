import { mkdirSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

/** One measured figure next to the baseline measured in the same run. */
export interface Figure {
  figure: string;
  value: number;
  unit: string;
  /** The baseline's value for the same figure, or null when the figure has no baseline. */
  baseline: number | null;
  /** value / baseline (for "higher is better" units) or baseline / value (for times); null without a baseline. */
  ratio: number | null;
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

export function report(name: string, figures: Figure[]): void {
  mkdirSync(resultsDir, { recursive: true });
  writeFileSync(join(resultsDir, `${name}.json`), JSON.stringify(figures, null, 2) + '\n');
  const rows = figures.map((f) => [f.figure, `${f.value} ${f.unit}`, f.baseline === null ? '-' : `${f.baseline} ${f.unit}`, f.ratio === null ? '-' : `${f.ratio}x`]);
  const header = ['figure', 'value', 'baseline', 'ratio'];
  const widths = header.map((h, i) => Math.max(h.length, ...rows.map((r) => r[i]!.length)));
  const line = (cells: string[]) => cells.map((c, i) => c.padEnd(widths[i]!)).join('  ');
  console.log(`\n${name}`);
  console.log(line(header));
  for (const r of rows) console.log(line(r));
  console.log(`(written to bench/results/${name}.json)`);
}
