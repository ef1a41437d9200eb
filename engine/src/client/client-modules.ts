import { createHash } from 'node:crypto';
import { LRUCache } from 'lru-cache';
import type { Actor } from '../actors';
import type { JsonSchema } from '../metadata/json-schema';
import { clientCompilations } from '../core/client-documents';
import { projectObjects } from '../projection/client-projection';
import { accessFingerprint } from '../projection/client-projection-service';
import type { ClientObject } from '../projection/client-projection-types';
import { inspectRule } from '../rules/validate';
import { generateStandaloneModule, type StandaloneModuleInput } from './standalone-module';
import type { ActorAccess } from '../security/actor-access';

/**
 * The standalone module of rules and validators a browser needs for the current metadata
 * revision (rules/standalone-module.ts; read with core/module-compilers.ts), so forms compute
 * formulas and defaults, check input and validation rules and show sections exactly as the
 * server does, under a Content-Security-Policy without eval.
 *
 * It is made from the actor's client projection (projection/, GET /api/meta/client) through the
 * same function the browser compiles that projection with (core/client-documents.ts): so it holds
 * every rule and schema the browser asks for, and nothing withheld from the actor (a validation
 * rule or a section condition that reads a hidden field, a hidden field's formula or default).
 */

export interface ClientModule {
  readonly revision: number;
  /** Strong, from the module's text: equal texts share it whatever the revision or user. */
  readonly etag: string;
  readonly source: string;
}

/** What an actor's module holds, in a stable order (metadata order; rules before schemas). */
export function collectClientModuleInput(objects: readonly ClientObject[], revision: number): StandaloneModuleInput {
  const { rules, schemas } = clientCompilations({ objects });
  // A stored rule the compiler now refuses fails on the server when it runs; a browser asking
  // for it is told the module lacks it. Either way it never holds.
  return { rules: rules.filter(({ rule }) => inspectRule(rule, undefined).length === 0), schemas: schemas as JsonSchema[], title: `metadata revision ${revision}` };
}

/** Builds each actor's module, once per distinct content (users with the same access share it). */
export class ClientModules {
  readonly #built = new LRUCache<string, ClientModule>({ max: 32 });
  readonly #byGrants = new LRUCache<string, ClientModule>({ max: 200 });

  constructor(private readonly accessOf: (actor: Actor) => Promise<ActorAccess>) {}

  async forActor(actor: Actor): Promise<ClientModule> {
    const access = await this.accessOf(actor);
    // What a module holds is a function of the revision and the grants (as the projection's objects
    // are): a repeated request, a 304 included, neither projects nor generates again.
    const grants = `${access.metadata.revision}|${accessFingerprint(access)}`;
    const known = this.#byGrants.get(grants);
    if (known) return known;
    const input = collectClientModuleInput(projectObjects(access), access.metadata.revision);
    const key = digest(JSON.stringify([input.title, input.rules, input.schemas]));
    let built = this.#built.get(key);
    if (!built) {
      const source = generateStandaloneModule(input);
      built = Object.freeze({ revision: access.metadata.revision, etag: `"${digest(source).slice(0, 32)}"`, source });
      this.#built.set(key, built);
    }
    this.#byGrants.set(grants, built);
    return built;
  }
}

function digest(text: string): string {
  return createHash('sha256').update(text).digest('base64url');
}
