/**
 * Reading settings from environment variables. A value that is set but does not parse stops the
 * process at start with every such problem named by its variable, instead of being replaced by a
 * default without a word (`CRM_JOBS_CONCURRENCY=abc` running with 10) or failing later somewhere
 * the variable is no longer known.
 */

export interface SettingProblem {
  readonly variable: string;
  readonly value: string;
  readonly reason: string;
}

/** Settings that cannot be used, each named by its environment variable. */
export class ConfigurationError extends Error {
  readonly problems: readonly SettingProblem[];

  constructor(problems: readonly SettingProblem[]) {
    super(`invalid configuration: ${problems.map((p) => `${p.variable}=${JSON.stringify(p.value)} ${p.reason}`).join('; ')}`);
    this.name = 'ConfigurationError';
    this.problems = Object.freeze([...problems]);
  }
}

/** An environment: `process.env` in production, any record in tests. Only the server's loadConfig passes `process.env`. */
export type EnvRecord = Readonly<Record<string, string | undefined>>;

export interface NumberBounds {
  readonly min: number;
  readonly max?: number;
  /** Whole numbers only (default true). */
  readonly integer?: boolean;
}

/** Reads variables from one environment, collecting what is wrong instead of stopping at the first. */
export class EnvReader {
  readonly #problems: SettingProblem[] = [];

  constructor(private readonly env: EnvRecord) {}

  /** The raw value; unset and empty are both "not set". */
  text(variable: string): string | undefined {
    const value = this.env[variable];
    return value === undefined || value === '' ? undefined : value;
  }

  number(variable: string, bounds: NumberBounds): number | undefined {
    const raw = this.text(variable);
    if (raw === undefined) return undefined;
    const value = raw.trim() === '' ? Number.NaN : Number(raw);
    const integer = bounds.integer ?? true;
    const inRange = Number.isFinite(value) && (!integer || Number.isInteger(value)) && value >= bounds.min && (bounds.max === undefined || value <= bounds.max);
    if (inRange) return value;
    const what = integer ? 'a whole number' : 'a number';
    const range = bounds.max === undefined ? `of at least ${bounds.min}` : `from ${bounds.min} to ${bounds.max}`;
    this.problem(variable, raw, `must be ${what} ${range}`);
    return undefined;
  }

  /** A value a check accepts (the check returns why not). */
  checked(variable: string, problem: (value: string) => string | undefined): string | undefined {
    const raw = this.text(variable);
    if (raw === undefined) return undefined;
    const reason = problem(raw);
    if (reason === undefined) return raw;
    this.problem(variable, raw, reason);
    return undefined;
  }

  /** A problem found by the caller (one that involves two variables, say). */
  problem(variable: string, value: string, reason: string): void {
    this.#problems.push({ variable, value, reason });
  }

  /** Throws ConfigurationError when anything read so far was wrong. */
  finish(): void {
    if (this.#problems.length > 0) throw new ConfigurationError(this.#problems);
  }
}

/** Reads settings with `read`, then throws ConfigurationError naming every variable that was wrong. */
export function fromEnv<T>(env: EnvRecord, read: (reader: EnvReader) => T): T {
  const reader = new EnvReader(env);
  const settings = read(reader);
  reader.finish();
  return settings;
}
