/** Runs `op` repeatedly for about `ms` milliseconds with `concurrency` in flight; returns operations per second. */
export async function throughput(op: (i: number) => Promise<unknown>, ms: number, concurrency = 1): Promise<number> {
  let count = 0;
  const deadline = performance.now() + ms;
  const start = performance.now();
  const worker = async () => {
    while (performance.now() < deadline) {
      await op(count++);
    }
  };
  await Promise.all(Array.from({ length: concurrency }, worker));
  return count / ((performance.now() - start) / 1000);
}

export async function timed<T>(fn: () => Promise<T>): Promise<{ ms: number; value: T }> {
  const start = performance.now();
  const value = await fn();
  return { ms: performance.now() - start, value };
}

export function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  const mid = Math.floor(sorted.length / 2);
  return sorted.length % 2 ? sorted[mid]! : (sorted[mid - 1]! + sorted[mid]!) / 2;
}
