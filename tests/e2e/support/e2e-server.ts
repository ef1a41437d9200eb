import { rm } from 'node:fs/promises';
import { createTestDataDir } from '@crm/engine/testing';
import { spawnServer, type ServerProcess } from '../../support/spawn-server';
import { ensureRuntimeUiBuilt } from './ui-build';

export const ADMIN = { email: 'admin@example.com', password: 'admin-e2e-password' } as const;
/** Every user the tests create signs in with this password. */
export const PASSWORD = 'user-e2e-password';

export interface ApiAnswer {
  readonly status: number;
  // eslint-disable-next-line @typescript-eslint/no-explicit-any -- tests read whatever the API answered
  readonly body: any;
  readonly headers: Headers;
}

/** One signed-in API caller (cookie session with its CSRF token, as the browser app is). */
export interface ApiSession {
  readonly userId: string;
  call(method: string, path: string, body?: unknown, headers?: Record<string, string>): Promise<ApiAnswer>;
}

export interface E2eUser {
  readonly id: string;
  readonly name: string;
  readonly email: string;
  readonly password: string;
  readonly roles: readonly string[];
}

export interface E2eServer {
  readonly base: string;
  readonly process: ServerProcess;
  /** The administrator's API session. */
  readonly admin: ApiSession;
  signIn(email: string, password: string): Promise<ApiSession>;
  /**
   * Creates an active user with a password and roles of the sales template (sales_rep,
   * sales_manager, finance), optionally in a department and under a manager.
   */
  createUser(input: { name: string; email?: string; roles: readonly string[]; department_id?: string; manager_id?: string }): Promise<E2eUser>;
  createDepartment(name: string, parentId?: string): Promise<string>;
  stop(): Promise<void>;
}

let userCounter = 0;

/** A signed-in browser session: its cookies (crm_session HttpOnly, crm_csrf) and CSRF token. */
export interface SessionCookies {
  readonly userId: string;
  readonly cookies: readonly { name: string; value: string }[];
  readonly csrf: string;
}

/**
 * Sign-in is rate-limited (10 per email, 30 per address in 5 minutes), so each user signs in once
 * per test file and every API session and browser context of theirs reuses that session. A test
 * that signs a user out must call forgetSession.
 */
const sessions = new Map<string, Promise<SessionCookies>>();

export function forgetSession(base: string, email: string): void {
  sessions.delete(`${base} ${email.toLowerCase()}`);
}

export function sessionCookies(base: string, email: string, password: string): Promise<SessionCookies> {
  const key = `${base} ${email.toLowerCase()}`;
  let session = sessions.get(key);
  if (!session) {
    session = (async () => {
      const signIn = await fetch(`${base}/api/auth/sign-in`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ email, password }) });
      if (signIn.status !== 200) throw new Error(`sign-in of ${email} answered ${signIn.status}: ${await signIn.text()}`);
      const cookies = signIn.headers.getSetCookie().map((cookie) => {
        const [pair] = cookie.split(';');
        const at = pair!.indexOf('=');
        return { name: pair!.slice(0, at), value: pair!.slice(at + 1) };
      });
      const { csrf_token: csrf, user } = (await signIn.json()) as { csrf_token: string; user: { id: string } };
      return { userId: user.id, cookies, csrf };
    })();
    sessions.set(key, session);
    session.catch(() => sessions.delete(key));
  }
  return session;
}

async function sessionFor(base: string, email: string, password: string): Promise<ApiSession> {
  const { userId, cookies, csrf } = await sessionCookies(base, email, password);
  const cookie = cookies.map(({ name, value }) => `${name}=${value}`).join('; ');
  return {
    userId,
    async call(method, path, body, headers = {}) {
      const response = await fetch(`${base}${path}`, {
        method,
        headers: { cookie, 'x-csrf-token': csrf, 'accept-language': 'en', ...(body === undefined ? {} : { 'content-type': 'application/json' }), ...headers },
        ...(body === undefined ? {} : { body: JSON.stringify(body) }),
      });
      const text = await response.text();
      let parsed: unknown = undefined;
      try {
        parsed = text ? JSON.parse(text) : undefined;
      } catch {
        parsed = text;
      }
      return { status: response.status, body: parsed, headers: response.headers };
    },
  };
}

function expectStatus(answer: ApiAnswer, status: number, what: string): void {
  if (answer.status !== status) throw new Error(`${what} answered ${answer.status}: ${JSON.stringify(answer.body)}`);
}

/**
 * The real server as production runs it (a separate `node server/src/main.ts` process), on a fresh
 * PGlite data folder, first-started with the sales demo template and its sample data and an
 * administrator, serving the built runtime UI at /. One per test file (beforeAll).
 */
export async function startE2eServer(env: Record<string, string> = {}): Promise<E2eServer> {
  await ensureRuntimeUiBuilt();
  const dataDir = await createTestDataDir('crm-e2e-');
  const process = await spawnServer({
    DATABASE_URL: '',
    CRM_DATA_DIR: dataDir,
    CRM_DEMO: '1',
    CRM_ADMIN_EMAIL: ADMIN.email,
    CRM_ADMIN_PASSWORD: ADMIN.password,
    ...env,
  }).catch(async (error: unknown) => {
    await rm(dataDir, { recursive: true, force: true });
    throw error;
  });
  const base = process.base;
  const admin = await sessionFor(base, ADMIN.email, ADMIN.password);
  return {
    base,
    process,
    admin,
    signIn: (email, password) => sessionFor(base, email, password),
    async createDepartment(name, parentId) {
      const answer = await admin.call('POST', '/api/departments', { name, ...(parentId ? { parent_id: parentId } : {}) });
      expectStatus(answer, 201, `creating department ${name}`);
      return answer.body.id as string;
    },
    async createUser(input) {
      userCounter += 1;
      const email = input.email ?? `user${userCounter}-${Date.now().toString(36)}@example.com`;
      const created = await admin.call('POST', '/api/users', { name: input.name, email, roles: input.roles, department_id: input.department_id ?? null, manager_id: input.manager_id ?? null });
      expectStatus(created, 201, `creating user ${input.name}`);
      const id = created.body.id as string;
      expectStatus(await admin.call('POST', `/api/users/${id}/password`, { password: PASSWORD }), 204, `setting the password of ${input.name}`);
      return { id, name: input.name, email, password: PASSWORD, roles: input.roles };
    },
    async stop() {
      try {
        await process.stop();
      } finally {
        await rm(dataDir, { recursive: true, force: true });
      }
    },
  };
}
