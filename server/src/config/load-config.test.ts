import { ConfigurationError } from '@crm/engine';
import { describe, expect, it } from 'vitest';
import { describeConfig, maskedUrl } from './describe-config';
import { loadConfig, type ServerConfig } from './load-config';

/** The variables loadConfig refused, by name and reason; [] when it accepted the environment. */
function problems(env: Record<string, string>): { variable: string; reason: string }[] {
  try {
    loadConfig(env);
    return [];
  } catch (error) {
    if (error instanceof ConfigurationError) return error.problems.map(({ variable, reason }) => ({ variable, reason }));
    throw error;
  }
}

/**
 * Every variable the product reads, with a value it accepts (and where that value lands), and
 * one it refuses. Missing is checked against the defaults below.
 */
const VARIABLES: readonly { variable: string; good: string; read: (config: ServerConfig) => unknown; expected: unknown; bad: string }[] = [
  { variable: 'PORT', good: '8080', read: (c) => c.http.port, expected: 8080, bad: 'http' },
  { variable: 'HOST', good: '0.0.0.0', read: (c) => c.http.host, expected: '0.0.0.0', bad: 'local host' },
  { variable: 'LOG_LEVEL', good: 'debug', read: (c) => c.logLevel, expected: 'debug', bad: 'verbose' },
  { variable: 'CRM_TRUST_PROXY', good: '1', read: (c) => c.http.trustProxy, expected: true, bad: 'yes' },
  { variable: 'CRM_SECURE_COOKIES', good: '0', read: (c) => c.http.secureCookies, expected: false, bad: 'off' },
  { variable: 'CRM_DEMO', good: 'false', read: (c) => c.firstStart.demo, expected: false, bad: '2' },
  { variable: 'CRM_TEMPLATE', good: 'sales', read: (c) => c.firstStart.template, expected: 'sales', bad: 'no-such-template' },
  { variable: 'CRM_ADMIN_EMAIL', good: 'admin@example.com', read: (c) => c.firstStart.adminEmail, expected: 'admin@example.com', bad: 'admin' },
  { variable: 'CRM_ADMIN_PASSWORD', good: 'a long enough password', read: (c) => c.firstStart.adminPassword, expected: 'a long enough password', bad: 'short' },
  { variable: 'DATABASE_URL', good: 'postgres://crm:pw@db:5432/crm', read: (c) => c.engine.databaseUrl, expected: 'postgres://crm:pw@db:5432/crm', bad: 'mysql://db/crm' },
  { variable: 'CRM_DB_POOL_SIZE', good: '20', read: (c) => c.engine.poolSize, expected: 20, bad: 'abc' },
  { variable: 'CRM_PGLITE_SHARED_BUFFERS', good: '64MB', read: (c) => c.engine.pgliteSharedBuffers, expected: '64MB', bad: 'lots' },
  { variable: 'CRM_DATA_DIR', good: '/var/lib/crm', read: (c) => c.engine.dataDir, expected: '/var/lib/crm', bad: '' },
  { variable: 'CRM_SESSION_HOURS', good: '2', read: (c) => c.engine.auth?.sessionLifetimeMs, expected: 2 * 3600 * 1000, bad: 'a day' },
  { variable: 'CRM_EXPORT_MAX_ROWS', good: '5000', read: (c) => c.engine.records?.exportMaxRows, expected: 5000, bad: '0' },
  { variable: 'CRM_JOBS_CONCURRENCY', good: '4', read: (c) => c.engine.jobs?.concurrency, expected: 4, bad: 'abc' },
  { variable: 'CRM_JOBS_MAX_ATTEMPTS', good: '5', read: (c) => c.engine.jobs?.maxAttempts, expected: 5, bad: '500' },
  { variable: 'CRM_JOBS_POLL_MS', good: '250', read: (c) => c.engine.jobs?.pollIntervalMs, expected: 250, bad: '5' },
  { variable: 'CRM_JOBS_RETRY_BASE_MS', good: '500', read: (c) => c.engine.jobs?.backoff?.baseMs, expected: 500, bad: '-1' },
  { variable: 'CRM_JOBS_RETRY_MAX_MS', good: '60000', read: (c) => c.engine.jobs?.backoff?.maxMs, expected: 60000, bad: '1e400' },
  { variable: 'CRM_WEBHOOK_SECRET', good: 'whsec_x', read: (c) => c.engine.delivery?.webhook?.secret, expected: 'whsec_x', bad: '' },
  { variable: 'CRM_SMTP_URL', good: 'smtp://localhost', read: (c) => c.engine.delivery?.mail?.smtpUrl, expected: 'smtp://localhost', bad: 'mail.example.com:25' },
  { variable: 'CRM_MAIL_FROM', good: 'CRM <crm@example.com>', read: (c) => c.engine.delivery?.mail?.from, expected: 'CRM <crm@example.com>', bad: 'crm at example' },
  { variable: 'TZ', good: 'Asia/Shanghai', read: () => 'checked only', expected: 'checked only', bad: 'Mars/Olympus' },
];

describe('loadConfig', () => {
  it('applies the defaults when nothing is set', () => {
    const config = loadConfig({});
    expect(config.http).toEqual({ port: 3000, host: '127.0.0.1', trustProxy: false, secureCookies: true });
    expect(config.logLevel).toBe('info');
    expect(config.firstStart).toEqual({ demo: true, template: 'sales', adminEmail: undefined, adminPassword: undefined });
    expect(config.engine).toMatchObject({ databaseUrl: undefined, dataDir: './.data', poolSize: undefined });
  });

  for (const { variable, good, read, expected, bad } of VARIABLES) {
    it(`reads ${variable} when it is good and names it when it is bad`, () => {
      expect(read(loadConfig({ [variable]: good }))).toEqual(expected);
      // Empty means unset, so a variable whose only bad value is empty has no refusal to test.
      if (bad === '') return;
      const refused = problems({ [variable]: bad });
      expect(refused.map((p) => p.variable)).toEqual([variable]);
      expect(refused[0]!.reason).toMatch(/^must /);
    });
  }

  it('reports every bad variable at once, in a message naming each with its value', () => {
    expect(problems({ CRM_DB_POOL_SIZE: 'abc', PORT: '70000', LOG_LEVEL: 'loud' })).toEqual([
      { variable: 'CRM_DB_POOL_SIZE', reason: 'must be a whole number from 1 to 1000' },
      { variable: 'PORT', reason: 'must be a whole number from 0 to 65535' },
      { variable: 'LOG_LEVEL', reason: 'must be one of fatal, error, warn, info, debug, trace, silent' },
    ]);
    expect(() => loadConfig({ CRM_DB_POOL_SIZE: 'abc' })).toThrow('CRM_DB_POOL_SIZE="abc" must be a whole number from 1 to 1000');
  });

  it('returns a frozen configuration, all the way down', () => {
    const config = loadConfig({ CRM_JOBS_CONCURRENCY: '2', CRM_SMTP_URL: 'smtp://localhost' });
    expect(Object.isFrozen(config)).toBe(true);
    expect(Object.isFrozen(config.http)).toBe(true);
    expect(Object.isFrozen(config.engine.jobs)).toBe(true);
    expect(Object.isFrozen(config.engine.delivery?.mail)).toBe(true);
    expect(() => {
      (config.http as { port: number }).port = 1;
    }).toThrow(TypeError);
  });
});

describe('describeConfig (what the start-up log shows)', () => {
  it('masks passwords in URLs, secrets and the administrator password, and keeps the rest', () => {
    const config = loadConfig({
      DATABASE_URL: 'postgres://crm:db-password@db:5432/crm?sslpassword=key-password',
      CRM_SMTP_URL: 'smtps://mailer:smtp-password@mail.example.com:465',
      CRM_WEBHOOK_SECRET: 'whsec_very_secret',
      CRM_ADMIN_EMAIL: 'admin@example.com',
      CRM_ADMIN_PASSWORD: 'the admin password',
      CRM_DB_POOL_SIZE: '7',
    });
    const logged = JSON.stringify(describeConfig(config));
    for (const secret of ['db-password', 'key-password', 'smtp-password', 'whsec_very_secret', 'the admin password']) expect(logged).not.toContain(secret);
    const described = describeConfig(config) as { engine: Record<string, unknown> & { delivery: { mail: { smtpUrl: string } } }; firstStart: Record<string, unknown> };
    expect(described.engine.databaseUrl).toBe('postgres://crm:***@db:5432/crm?sslpassword=***');
    expect(described.engine.delivery.mail.smtpUrl).toBe('smtps://mailer:***@mail.example.com:465');
    expect(described.engine.poolSize).toBe(7);
    expect(described.firstStart).toMatchObject({ adminEmail: 'admin@example.com', adminPassword: '***' });
    // Unset secrets stay visibly unset rather than looking set.
    expect(JSON.stringify(describeConfig(loadConfig({})))).not.toContain('***');
  });

  it('never echoes something that is not a URL', () => {
    expect(maskedUrl('user:password@host')).not.toContain('password');
  });
});
