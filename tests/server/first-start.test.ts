import { spawn } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { createTestDataDir } from '@crm/engine/testing';
import { describe, expect, it } from 'vitest';
import { spawnServer } from '../support/spawn-server';

const root = resolve(dirname(fileURLToPath(import.meta.url)), '..', '..');
const ADMIN = { email: 'first@example.com', password: 'a first start password' };

/** Resident memory of a process (Linux), in MiB. */
function residentMiB(pid: number): number {
  const status = readFileSync(`/proc/${pid}/status`, 'utf8');
  return Number(/VmRSS:\s+(\d+) kB/.exec(status)![1]) / 1024;
}

async function tokenFor(base: string): Promise<string> {
  const signIn = await fetch(`${base}/api/auth/sign-in`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(ADMIN) });
  expect(signIn.status).toBe(200);
  const { csrf_token } = (await signIn.json()) as { csrf_token: string };
  const cookie = signIn.headers.getSetCookie().map((c) => c.split(';')[0]).join('; ');
  const minted = await fetch(`${base}/api/auth/tokens`, { method: 'POST', headers: { cookie, 'x-csrf-token': csrf_token, 'content-type': 'application/json' }, body: JSON.stringify({ name: 'first start' }) });
  return ((await minted.json()) as { token: string }).token;
}

// What a newcomer's `pnpm start` does, on the embedded database; the PostgreSQL run of the suite
// has nothing to add here.
describe.skipIf(Boolean(process.env.DATABASE_URL))('first start on the embedded database', () => {
  it('creates the database in a child process, installs the demo template, and keeps initdb memory out of the server; a restart reuses it', async () => {
    const dataDir = join(mkdtempSync(join(tmpdir(), 'crm-first-')), 'data');
    const env = { CRM_DATA_DIR: dataDir, CRM_DEMO: '1', CRM_ADMIN_EMAIL: ADMIN.email, CRM_ADMIN_PASSWORD: ADMIN.password };
    try {
      const first = await spawnServer(env);
      try {
        expect(existsSync(join(dataDir, 'PG_VERSION'))).toBe(true);
        // initdb alone grows PGlite's heap past 800 MiB; the server must not be carrying it.
        expect(residentMiB(first.child.pid!)).toBeLessThan(600);
        const token = await tokenFor(first.base);
        const deals = await fetch(`${first.base}/api/records/opportunity?count=true&limit=1`, { headers: { authorization: `Bearer ${token}` } });
        expect(deals.status).toBe(200);
        const page = (await deals.json()) as { total: number; data: { owner_id: string }[] };
        expect(page.total).toBeGreaterThan(0);
        // The sample records are the administrator's, so their home page starts populated.
        const me = (await (await fetch(`${first.base}/api/auth/me`, { headers: { authorization: `Bearer ${token}` } })).json()) as { user: { id: string } };
        expect(page.data[0]!.owner_id).toBe(me.user.id);
        // A sample rep reports to the administrator and has a large deal waiting on them, so the
        // approval inbox and its badge have something to try on the first visit.
        const inbox = (await (await fetch(`${first.base}/api/approvals/inbox`, { headers: { authorization: `Bearer ${token}` } })).json()) as { data: { title: string }[] };
        expect(inbox.data.map((entry) => entry.title)).toEqual(['支付风控平台']);
      } finally {
        expect(await first.stop()).toBe(0);
      }
      const second = await spawnServer(env);
      try {
        expect(second.output()).not.toContain('installed demo template');
        expect(second.output()).not.toContain('created the administrator account');
        expect((await fetch(`${second.base}/readyz`)).status).toBe(200);
      } finally {
        expect(await second.stop()).toBe(0);
      }
    } finally {
      rmSync(dirname(dataDir), { recursive: true, force: true });
    }
  }, 120_000);

  it('installs the demo at a later start when the first put none in, still for the administrator', async () => {
    const dataDir = join(mkdtempSync(join(tmpdir(), 'crm-later-')), 'data');
    const env = { CRM_DATA_DIR: dataDir, CRM_ADMIN_EMAIL: ADMIN.email, CRM_ADMIN_PASSWORD: ADMIN.password };
    try {
      // The first start makes the administrator and no demo (as one whose demo install failed, which leaves nothing).
      const first = await spawnServer({ ...env, CRM_DEMO: '0' });
      expect(first.output()).toContain('created the administrator account');
      expect(await first.stop()).toBe(0);
      const second = await spawnServer({ ...env, CRM_DEMO: '1' });
      try {
        expect(second.output()).toContain('installed demo template');
        const token = await tokenFor(second.base);
        const me = (await (await fetch(`${second.base}/api/auth/me`, { headers: { authorization: `Bearer ${token}` } })).json()) as { user: { id: string } };
        const page = (await (await fetch(`${second.base}/api/records/opportunity?limit=1`, { headers: { authorization: `Bearer ${token}` } })).json()) as { data: { owner_id: string }[] };
        expect(page.data[0]!.owner_id).toBe(me.user.id);
        const inbox = (await (await fetch(`${second.base}/api/approvals/inbox`, { headers: { authorization: `Bearer ${token}` } })).json()) as { data: { title: string }[] };
        expect(inbox.data.map((entry) => entry.title)).toEqual(['支付风控平台']);
      } finally {
        expect(await second.stop()).toBe(0);
      }
    } finally {
      rmSync(dirname(dataDir), { recursive: true, force: true });
    }
  }, 120_000);

  it('`pnpm start` stops on Ctrl-C without pnpm error lines', async (context) => {
    // pnpm sets npm_execpath for the scripts it runs (`pnpm test`); run the same pnpm.
    const pnpm = process.env.npm_execpath;
    if (!pnpm || !/pnpm/.test(pnpm)) {
      context.skip('runs under `pnpm test`, which says where pnpm is');
      return;
    }
    const dataDir = await createTestDataDir('crm-ctrl-c-');
    // Its own process group, as a terminal runs a job: Ctrl-C signals the whole group.
    const child = spawn(process.execPath, [pnpm, 'start'], {
      cwd: root,
      detached: true,
      env: { ...process.env, CRM_DATA_DIR: dataDir, CRM_DEMO: '0', PORT: '0', CRM_ADMIN_EMAIL: ADMIN.email, CRM_ADMIN_PASSWORD: ADMIN.password },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let output = '';
    child.stdout!.on('data', (chunk: Buffer) => (output += chunk.toString()));
    child.stderr!.on('data', (chunk: Buffer) => (output += chunk.toString()));
    const exited = new Promise<number | null>((done) => child.on('exit', (code) => done(code)));
    try {
      const deadline = Date.now() + 90_000;
      while (!output.includes('background job worker started') && Date.now() < deadline && child.exitCode === null) await new Promise((r) => setTimeout(r, 100));
      expect(output).toContain('background job worker started');
      process.kill(-child.pid!, 'SIGINT');
      expect(await exited).toBe(0);
      expect(output).toContain('shutting down');
      expect(output).not.toMatch(/ELIFECYCLE|ERR_PNPM|Command failed/);
    } finally {
      if (child.exitCode === null) process.kill(-child.pid!, 'SIGKILL');
      rmSync(dataDir, { recursive: true, force: true });
    }
  }, 120_000);
});
