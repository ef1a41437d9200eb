import { spawn } from 'node:child_process';
import { dirname, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { spawnedDatabase, spawnServer } from '../support/spawn-server';

const root = resolve(dirname(fileURLToPath(import.meta.url)), '..', '..');

/** Runs the real server entry with `env` added and resolves once it exits (it must not start). */
function runUntilExit(env: Record<string, string>): Promise<{ code: number | null; stdout: string; stderr: string }> {
  const child = spawn(process.execPath, ['--import', 'tsx', 'server/src/main.ts'], {
    cwd: root,
    env: { ...process.env, PORT: '0', HOST: '127.0.0.1', CRM_DEMO: '0', ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let stdout = '';
  let stderr = '';
  child.stdout.on('data', (chunk: Buffer) => (stdout += chunk.toString()));
  child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
  const timer = setTimeout(() => child.kill('SIGKILL'), 60_000);
  return new Promise((done) =>
    child.on('exit', (code) => {
      clearTimeout(timer);
      done({ code, stdout, stderr });
    }),
  );
}

describe('the server configuration at start', () => {
  it('refuses to start on a bad value, naming every bad variable, before opening any database', async () => {
    const { code, stdout, stderr } = await runUntilExit({ CRM_DB_POOL_SIZE: 'abc', PORT: 'eighty', DATABASE_URL: '', CRM_DATA_DIR: '/nonexistent/never-created' });
    expect(code).toBe(1);
    expect(stderr).toContain('CRM cannot start:');
    expect(stderr).toContain('CRM_DB_POOL_SIZE="abc" must be a whole number from 1 to 1000');
    expect(stderr).toContain('PORT="eighty" must be a whole number from 0 to 65535');
    // A configuration problem is the operator's to fix: no stack trace.
    expect(stderr).not.toMatch(/\n\s+at /);
    expect(stdout).not.toContain('Server listening');
  }, 90_000);

  it('logs its configuration at start with passwords and secrets masked', async () => {
    const database = await spawnedDatabase();
    const secrets = { CRM_WEBHOOK_SECRET: 'whsec_do_not_log_me', CRM_SMTP_URL: 'smtp://mailer:smtp-do-not-log@127.0.0.1:2525', CRM_ADMIN_PASSWORD: 'admin password do not log' };
    const server = await spawnServer({ ...database.env, ...secrets, CRM_ADMIN_EMAIL: 'config@example.com', CRM_DB_POOL_SIZE: '3' });
    try {
      const line = server.output().split('\n').find((l) => l.includes('configuration (secrets masked)'));
      expect(line).toBeDefined();
      const logged = JSON.parse(line!) as { config: { engine: { poolSize: number; delivery: { mail: { smtpUrl: string } } } } };
      expect(logged.config.engine.poolSize).toBe(3);
      expect(logged.config.engine.delivery.mail.smtpUrl).toBe('smtp://mailer:***@127.0.0.1:2525');
      for (const secret of [...Object.values(secrets), 'smtp-do-not-log']) expect(server.output()).not.toContain(secret);
      if (database.env.DATABASE_URL) {
        const password = new URL(database.env.DATABASE_URL).password;
        if (password) expect(line).not.toContain(password);
      }
    } finally {
      expect(await server.stop()).toBe(0);
      await database.drop();
    }
  }, 120_000);
});
