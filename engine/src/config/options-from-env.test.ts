import { describe, expect, it } from 'vitest';
import { engineOptionsFromEnv } from '../engine-options';
import { ConfigurationError } from './env-reader';

/** What engineOptionsFromEnv refuses: the problems, each named by its variable. */
function problems(env: Readonly<Record<string, string>>): { variable: string; reason: string }[] {
  try {
    engineOptionsFromEnv(env);
  } catch (error) {
    if (error instanceof ConfigurationError) return error.problems.map(({ variable, reason }) => ({ variable, reason }));
    throw error;
  }
  return [];
}

describe('engine options from the environment', () => {
  it('reads every setting that is set, and keeps the defaults for the rest', () => {
    expect(engineOptionsFromEnv({})).toMatchObject({ dataDir: './.data', jobs: {}, delivery: { webhook: {}, mail: {} } });
    const options = engineOptionsFromEnv({
      TZ: 'Asia/Shanghai',
      CRM_DB_POOL_SIZE: '20',
      CRM_PGLITE_SHARED_BUFFERS: '64MB',
      CRM_SESSION_HOURS: '0.5',
      CRM_EXPORT_MAX_ROWS: '5000',
      CRM_JOBS_CONCURRENCY: '4',
      CRM_JOBS_MAX_ATTEMPTS: '5',
      CRM_JOBS_RETRY_BASE_MS: '500',
      CRM_JOBS_RETRY_MAX_MS: '60000',
      CRM_JOBS_POLL_MS: '250',
      CRM_WEBHOOK_SECRET: 'whsec_x',
      CRM_SMTP_URL: 'smtps://crm:secret@mail.example.com:465',
      CRM_MAIL_FROM: 'Acme CRM <crm@acme.example>',
    });
    expect(options).toMatchObject({
      poolSize: 20,
      pgliteSharedBuffers: '64MB',
      auth: { sessionLifetimeMs: 30 * 60 * 1000 },
      records: { exportMaxRows: 5000 },
      jobs: { concurrency: 4, maxAttempts: 5, pollIntervalMs: 250, backoff: { baseMs: 500, maxMs: 60000 } },
      delivery: { webhook: { secret: 'whsec_x' }, mail: { smtpUrl: 'smtps://crm:secret@mail.example.com:465', from: 'Acme CRM <crm@acme.example>' } },
    });
    // Empty is unset; time zone aliases and glibc's leading colon are fine.
    expect(problems({ CRM_JOBS_CONCURRENCY: '', TZ: 'US/Pacific' })).toEqual([]);
    expect(problems({ TZ: ':Europe/Berlin' })).toEqual([]);
    expect(problems({ TZ: 'UTC', CRM_SMTP_URL: 'smtp://localhost' })).toEqual([]);
  });

  it('refuses values it cannot use instead of replacing them with defaults, naming every variable at once', () => {
    expect(
      problems({
        CRM_JOBS_CONCURRENCY: 'abc',
        CRM_JOBS_MAX_ATTEMPTS: '500',
        CRM_JOBS_RETRY_BASE_MS: '-1',
        CRM_JOBS_RETRY_MAX_MS: '1e400',
        CRM_JOBS_POLL_MS: '5',
        CRM_SMTP_URL: 'mail.example.com:25',
        CRM_MAIL_FROM: 'crm at example',
        TZ: 'Mars/Olympus',
        CRM_DB_POOL_SIZE: '2.5',
        CRM_PGLITE_SHARED_BUFFERS: 'lots',
        CRM_SESSION_HOURS: 'a day',
        CRM_EXPORT_MAX_ROWS: '0',
      }),
    ).toEqual([
      { variable: 'TZ', reason: 'must be an IANA time zone name such as Asia/Shanghai or UTC' },
      { variable: 'CRM_SESSION_HOURS', reason: 'must be a number from 0.01 to 8784' },
      { variable: 'CRM_EXPORT_MAX_ROWS', reason: 'must be a whole number from 1 to 10000000' },
      { variable: 'CRM_DB_POOL_SIZE', reason: 'must be a whole number from 1 to 1000' },
      { variable: 'CRM_PGLITE_SHARED_BUFFERS', reason: 'must be a size such as 32MB' },
      { variable: 'CRM_JOBS_RETRY_BASE_MS', reason: 'must be a whole number from 0 to 604800000' },
      { variable: 'CRM_JOBS_RETRY_MAX_MS', reason: 'must be a whole number from 1 to 604800000' },
      { variable: 'CRM_JOBS_CONCURRENCY', reason: 'must be a whole number from 1 to 1000' },
      { variable: 'CRM_JOBS_MAX_ATTEMPTS', reason: 'must be a whole number from 1 to 100' },
      { variable: 'CRM_JOBS_POLL_MS', reason: 'must be a whole number from 10 to 604800000' },
      { variable: 'CRM_SMTP_URL', reason: 'must be smtp://[user:password@]host[:port] or smtps://...' },
      { variable: 'CRM_MAIL_FROM', reason: 'must be an email address, optionally with a name: CRM <crm@example.com>' },
    ]);
    const error = (() => {
      try {
        engineOptionsFromEnv({ CRM_JOBS_CONCURRENCY: 'abc' });
      } catch (caught) {
        return caught as Error;
      }
      return undefined;
    })();
    expect(error?.message).toBe('invalid configuration: CRM_JOBS_CONCURRENCY="abc" must be a whole number from 1 to 1000');
  });

  it('refuses a retry delay cap below the first delay, whichever of the two was set', () => {
    expect(problems({ CRM_JOBS_RETRY_BASE_MS: '5000', CRM_JOBS_RETRY_MAX_MS: '1000' })).toEqual([
      { variable: 'CRM_JOBS_RETRY_MAX_MS', reason: 'must be at least the first retry delay (5000 ms, CRM_JOBS_RETRY_BASE_MS)' },
    ]);
    expect(problems({ CRM_JOBS_RETRY_BASE_MS: '7200000' })).toEqual([
      { variable: 'CRM_JOBS_RETRY_BASE_MS', reason: 'must not exceed the longest retry delay (3600000 ms, CRM_JOBS_RETRY_MAX_MS)' },
    ]);
  });

  it('refuses a TZ that Node would silently replace with UTC', () => {
    for (const tz of ['Mars/Olympus', 'CST-8', 'UTC+8']) expect(problems({ TZ: tz }), tz).toEqual([{ variable: 'TZ', reason: 'must be an IANA time zone name such as Asia/Shanghai or UTC' }]);
    expect(problems({ TZ: 'asia/shanghai' })).toEqual([{ variable: 'TZ', reason: 'must be an IANA time zone name such as Asia/Shanghai or UTC (spelled exactly: Asia/Shanghai)' }]);
    expect(problems({ TZ: 'us/pacific' })[0]?.variable).toBe('TZ');
  });
});
