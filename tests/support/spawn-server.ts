import { spawn, type ChildProcess } from 'node:child_process';
import { rm } from 'node:fs/promises';
import { dirname, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { createTestDatabase, createTestDataDir } from '@crm/engine/testing';

const root = resolve(dirname(fileURLToPath(import.meta.url)), '..', '..');

export interface ServerProcess {
  readonly base: string;
  readonly child: ChildProcess;
  /** Everything the process wrote to stdout so far. */
  output(): string;
  /** Sends SIGTERM and resolves with the exit code. */
  stop(): Promise<number | null>;
}

/**
 * Starts the real server (`node --import tsx server/src/main.ts`) as a separate OS process, as
 * production runs it, and waits until it listens.
 */
export async function spawnServer(env: Record<string, string>): Promise<ServerProcess> {
  const child = spawn(process.execPath, ['--import', 'tsx', 'server/src/main.ts'], {
    cwd: root,
    env: { ...process.env, PORT: '0', HOST: '127.0.0.1', CRM_DEMO: '0', LOG_LEVEL: 'info', ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let stdout = '';
  let stderr = '';
  child.stdout!.on('data', (chunk: Buffer) => (stdout += chunk.toString()));
  child.stderr!.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
  const exited = new Promise<number | null>((done) => child.on('exit', (code) => done(code)));
  const base = await new Promise<string>((done, fail) => {
    const timer = setTimeout(() => fail(new Error(`server did not start in 60s:\n${stdout}\n${stderr}`)), 60_000);
    const check = () => {
      const match = /Server listening at (http:\/\/127\.0\.0\.1:\d+)/.exec(stdout);
      if (match) {
        clearTimeout(timer);
        done(match[1]!);
      }
    };
    child.stdout!.on('data', check);
    void exited.then((code) => {
      clearTimeout(timer);
      fail(new Error(`server exited with ${code}:\n${stdout}\n${stderr}`));
    });
  });
  return {
    base,
    child,
    output: () => stdout,
    async stop() {
      if (child.exitCode === null) child.kill('SIGTERM');
      // A server that does not stop in time is a failure worth seeing, not a hung test run.
      const timeout = new Promise<'timeout'>((done) => setTimeout(() => done('timeout'), 15_000).unref());
      const result = await Promise.race([exited, timeout]);
      if (result === 'timeout') {
        child.kill('SIGKILL');
        throw new Error(`server did not exit within 15s of SIGTERM:\n${stdout}\n${stderr}`);
      }
      return result;
    },
  };
}

/** Signs in as an administrator (email and password) and makes an API token. */
export async function tokenFor(server: ServerProcess, credentials: { email: string; password: string }): Promise<string> {
  const signIn = await fetch(`${server.base}/api/auth/sign-in`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(credentials) });
  if (signIn.status !== 200) throw new Error(`sign-in answered ${signIn.status}`);
  const cookie = signIn.headers.getSetCookie().map((c) => c.split(';')[0]).join('; ');
  const { csrf_token: csrf } = (await signIn.json()) as { csrf_token: string };
  const created = await fetch(`${server.base}/api/auth/tokens`, { method: 'POST', headers: { 'content-type': 'application/json', cookie, 'x-csrf-token': csrf }, body: JSON.stringify({ name: 'spawned server test' }) });
  if (created.status !== 201) throw new Error(`token creation answered ${created.status}`);
  return ((await created.json()) as { token: string }).token;
}

/** SIGKILL: no shutdown, nothing flushed, as a crash or the OOM killer would end it. */
export async function killServer(server: ServerProcess): Promise<void> {
  if (server.child.exitCode !== null || server.child.signalCode !== null) return;
  const exited = new Promise((done) => server.child.once('exit', done));
  server.child.kill('SIGKILL');
  await exited;
}

/**
 * A database for spawned servers, one after another: a fresh PostgreSQL database with
 * DATABASE_URL, else a PGlite data folder (DATABASE_URL emptied for the child).
 */
export async function spawnedDatabase(): Promise<{ readonly env: Record<string, string>; drop(): Promise<void> }> {
  const database = await createTestDatabase();
  if (database.kind === 'postgres') return { env: { DATABASE_URL: database.options.databaseUrl! }, drop: () => database.drop() };
  const dataDir = await createTestDataDir('crm-spawned-');
  return { env: { DATABASE_URL: '', CRM_DATA_DIR: dataDir }, drop: () => rm(dataDir, { recursive: true, force: true }) };
}

/** Calls a spawned server's API with a token: JSON in, JSON out. */
export function apiOf(server: ServerProcess, token: string) {
  return async (method: string, path: string, body?: unknown, headers: Record<string, string> = {}): Promise<{ status: number; body: any }> => { // eslint-disable-line @typescript-eslint/no-explicit-any
    const response = await fetch(`${server.base}${path}`, {
      method,
      headers: { authorization: `Bearer ${token}`, ...(body === undefined ? {} : { 'content-type': 'application/json' }), ...headers },
      ...(body === undefined ? {} : { body: JSON.stringify(body) }),
    });
    const text = await response.text();
    return { status: response.status, body: text ? JSON.parse(text) : undefined };
  };
}
