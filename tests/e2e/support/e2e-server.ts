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

async function sessionFor(base: string, email: string, password: string): Promise<ApiSession> {
  const signIn = await fetch(`${base}/api/auth/sign-in`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ email, password }) });
  if (signIn.status !== 200) throw new Error(`sign-in of ${email} answered ${signIn.status}: ${await signIn.text()}`);
  const cookie = signIn.headers.getSetCookie().map((c) => c.split(';')[0]).join('; ');
  const { csrf_token: csrf, user } = (await signIn.json()) as { csrf_token: string; user: { id: string } };
  return {
    userId: user.id,
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
