import { EnvReader, MIN_PASSWORD_LENGTH, readEngineOptions, type EngineOptions, type EnvRecord } from '@crm/engine';
import { templateNames } from '@crm/templates';

/**
 * The whole configuration of a server process, read from its environment in one place: the
 * engine's options and the server's own settings. Every variable the product reads is read here
 * (README "Configuration"); a value that cannot be used stops the start with every such problem
 * named by its variable (ConfigurationError), instead of a default taking its place silently.
 */
export interface ServerConfig {
  readonly engine: EngineOptions;
  readonly http: {
    /** PORT (default 3000; 0 picks a free port). */
    readonly port: number;
    /** HOST (default 127.0.0.1). */
    readonly host: string;
    /** CRM_TRUST_PROXY=1: take client addresses from X-Forwarded-For (behind a reverse proxy). */
    readonly trustProxy: boolean;
    /** CRM_SECURE_COOKIES=0: non-Secure session cookies, for plain HTTP off localhost. */
    readonly secureCookies: boolean;
  };
  /** LOG_LEVEL (default info). */
  readonly logLevel: LogLevel;
  readonly firstStart: {
    /** CRM_DEMO=0: an empty database stays empty instead of getting the demo template. */
    readonly demo: boolean;
    /** CRM_TEMPLATE: the demo template (default sales). */
    readonly template: string;
    /** CRM_ADMIN_EMAIL, CRM_ADMIN_PASSWORD: the administrator a first start creates. */
    readonly adminEmail: string | undefined;
    readonly adminPassword: string | undefined;
  };
}

export const LOG_LEVELS = ['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'] as const;
export type LogLevel = (typeof LOG_LEVELS)[number];

const FLAG_VALUES: Readonly<Record<string, boolean>> = { '1': true, true: true, '0': false, false: false };

function flag(read: EnvReader, variable: string, fallback: boolean): boolean {
  const value = read.checked(variable, (raw) => (raw.toLowerCase() in FLAG_VALUES ? undefined : 'must be 1 or 0 (true or false)'));
  return value === undefined ? fallback : FLAG_VALUES[value.toLowerCase()]!;
}

function oneOf<T extends string>(read: EnvReader, variable: string, allowed: readonly T[]): T | undefined {
  return read.checked(variable, (raw) => (allowed.includes(raw as T) ? undefined : `must be one of ${allowed.join(', ')}`)) as T | undefined;
}

function readServerConfig(read: EnvReader): ServerConfig {
  return {
    engine: readEngineOptions(read),
    http: {
      port: read.number('PORT', { min: 0, max: 65_535 }) ?? 3000,
      host: read.checked('HOST', (raw) => (/\s/.test(raw) ? 'must be a host name or address without spaces' : undefined)) ?? '127.0.0.1',
      trustProxy: flag(read, 'CRM_TRUST_PROXY', false),
      secureCookies: flag(read, 'CRM_SECURE_COOKIES', true),
    },
    logLevel: oneOf(read, 'LOG_LEVEL', LOG_LEVELS) ?? 'info',
    firstStart: {
      demo: flag(read, 'CRM_DEMO', true),
      template: oneOf(read, 'CRM_TEMPLATE', templateNames()) ?? 'sales',
      adminEmail: read.checked('CRM_ADMIN_EMAIL', (raw) => (/^[^\s@]+@[^\s@]+$/.test(raw) ? undefined : 'must be an email address')),
      adminPassword: read.checked('CRM_ADMIN_PASSWORD', (raw) => (raw.length >= MIN_PASSWORD_LENGTH ? undefined : `must be at least ${MIN_PASSWORD_LENGTH} characters long`)),
    },
  };
}

function deepFreeze<T>(value: T): T {
  if (value && typeof value === 'object' && !Object.isFrozen(value)) {
    for (const inner of Object.values(value)) deepFreeze(inner);
    Object.freeze(value);
  }
  return value;
}

/**
 * Reads and checks every setting from `env` (the process's environment in main.ts, any record in
 * tests) and returns it frozen. Throws ConfigurationError listing every variable that was wrong.
 */
export function loadConfig(env: EnvRecord): ServerConfig {
  const read = new EnvReader(env);
  const config = readServerConfig(read);
  read.finish();
  return deepFreeze(config);
}
