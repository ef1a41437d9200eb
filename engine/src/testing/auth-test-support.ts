import { systemActor } from '../actors';
import type { Engine } from '../engine';
import { uniqueName } from './engine-harness';
import type { User } from '../users/user-service';

export interface UserWithPassword {
  readonly user: User;
  readonly email: string;
  readonly password: string;
}

/** A fresh user with a password, named uniquely so tests in one file do not collide. */
export async function createUserWithPassword(engine: Engine, password = 'correct horse battery staple'): Promise<UserWithPassword> {
  const email = `${uniqueName('user')}@example.com`;
  const user = await engine.users.create(systemActor, { name: 'Ann Example', email });
  await engine.auth.setPassword(systemActor, user.id, password);
  return { user, email, password };
}

/** Polls until `check` holds or the time is up; returns whether it held. */
export async function eventually(check: () => Promise<boolean>, withinMs: number): Promise<boolean> {
  const deadline = Date.now() + withinMs;
  for (;;) {
    if (await check()) return true;
    if (Date.now() > deadline) return false;
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
}
