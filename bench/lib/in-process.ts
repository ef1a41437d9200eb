/**
 * The in-process figure of `pnpm bench api`: CPU time per call of the engine's own read calls
 * (engine.records.get/list) against the same statement through plain pg, one call at a time in
 * the bench server's process. Requests/s move with whatever else the machine runs; CPU time spent
 * in this process per call moves far less, so this figure shows what the engine adds to a query.
 */

export type CpuOperation = (n: number) => Promise<unknown>;

/** CPU µs (user + system) per call of `op` over `calls` sequential calls, after `warmup` calls. */
export async function cpuPerCall(op: CpuOperation, calls: number, warmup = Math.ceil(calls / 5)): Promise<number> {
  for (let n = 0; n < warmup; n++) await op(n);
  const before = process.cpuUsage();
  for (let n = 0; n < calls; n++) await op(warmup + n);
  const used = process.cpuUsage(before);
  return (used.user + used.system) / calls;
}

/**
 * The engine's call and the plain one in alternating blocks (so drift hits both alike); the
 * median block of each side.
 */
export async function compareCpu(engine: CpuOperation, plain: CpuOperation, calls: number, blocks = 3): Promise<{ engine: number; plain: number }> {
  const ours: number[] = [];
  const theirs: number[] = [];
  for (let b = 0; b < blocks; b++) {
    ours.push(await cpuPerCall(engine, calls));
    theirs.push(await cpuPerCall(plain, calls));
  }
  const mid = (xs: number[]) => [...xs].sort((x, y) => x - y)[Math.floor(xs.length / 2)]!;
  return { engine: mid(ours), plain: mid(theirs) };
}
