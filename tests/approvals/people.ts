import { systemActor, userActor, type Engine } from '@crm/engine';
import type { ApiResponse, TestServer } from '../support/test-server';

/** A user of the approval tests, with an API token to act as them. */
export interface Person {
  readonly id: string;
  readonly token: string;
}

/** A user in a department (with a manager), signed in by an API token; the email derives from the name. */
export async function createPerson(engine: Engine, name: string, roles: string[], department: string, manager: string | null = null): Promise<Person> {
  const user = await engine.users.create(systemActor, { name, email: `${name.toLowerCase()}@example.com`, roles, department_id: department, manager_id: manager });
  const { token } = await engine.auth.createToken(userActor(user.id), { name: 'tests' });
  return { id: user.id, token };
}

/** Calls the API as someone (the administrator when `who` is null). */
export function callAs(server: TestServer, who: Person | null, method: string, path: string, body?: unknown, headers: Record<string, string> = {}): Promise<ApiResponse> {
  return server.api(method, path, body, who ? { authorization: `Bearer ${who.token}`, ...headers } : headers);
}
