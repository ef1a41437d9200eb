import { createHash } from 'node:crypto';
import { LRUCache } from 'lru-cache';
import type { Actor } from '../actors';
import type { JsonSchema } from '../metadata/json-schema';
import type { FormulaField } from '../metadata/types';
import { usable } from '../objects/object-service';
import { recordInputSchema } from '../records/input';
import { inspectRule } from '../rules/validate';
import { generateStandaloneModule, type ModuleRule, type StandaloneModuleInput } from '../rules/standalone-module';
import type { ActorAccess } from '../security/actor-access';

/**
 * The standalone module of rules and validators a browser needs for the current metadata
 * revision (rules/standalone-module.ts; read with core/module-compilers.ts), so forms compute
 * formulas and defaults, check input and validation rules and show sections exactly as the
 * server does, under a Content-Security-Policy without eval.
 *
 * It holds what the metadata API already shows this actor, nothing more: objects the actor may
 * use (read or create: a create-only user fills forms too), formulas and defaults of the fields
 * not hidden from them, every active validation rule and layout section condition (the
 * validation-rules and layouts APIs show those), and the input schema over the writable fields
 * they may see. A per-user projection (GET /api/meta/client) names the same objects and fields.
 */

export interface ClientModule {
  readonly revision: number;
  /** Strong, from the module's text: equal texts share it whatever the revision or user. */
  readonly etag: string;
  readonly source: string;
}

/** What an actor's module holds, in a stable order (metadata order; rules before schemas). */
export function collectClientModuleInput(access: ActorAccess): StandaloneModuleInput {
  const rules: ModuleRule[] = [];
  const schemas: JsonSchema[] = [];
  // A stored rule the compiler now refuses fails on the server when it runs; a browser asking
  // for it is told the module lacks it. Either way it never holds.
  const add = (rule: unknown, mode: ModuleRule['mode']) => {
    if (rule !== undefined && inspectRule(rule, undefined).length === 0) rules.push({ rule, mode });
  };
  for (const object of access.metadata.objects()) {
    if (!usable(access, object.name)) continue;
    const hidden = access.unrestricted ? new Set<string>() : access.object(object.name).hidden;
    for (const { field } of object.formulas) {
      if (!hidden.has(field.name)) add((field.definition as FormulaField).expression, 'value');
    }
    for (const { field } of object.defaults) if (!hidden.has(field.name)) add(field.definition.default, 'value');
    for (const rule of object.validationRules.values()) if (rule.active !== false) add(rule.condition, 'boolean');
    for (const layout of object.layouts.values()) {
      for (const section of layout.sections) add(section.visible_when, 'boolean');
    }
    schemas.push(recordInputSchema(object.fields.filter((field) => !hidden.has(field.name))));
  }
  return { rules, schemas, title: `metadata revision ${access.metadata.revision}` };
}

/** Builds each actor's module, once per distinct content (users with the same access share it). */
export class ClientModules {
  readonly #built = new LRUCache<string, ClientModule>({ max: 32 });

  constructor(private readonly accessOf: (actor: Actor) => Promise<ActorAccess>) {}

  async forActor(actor: Actor): Promise<ClientModule> {
    const access = await this.accessOf(actor);
    const input = collectClientModuleInput(access);
    const key = digest(JSON.stringify([input.title, input.rules, input.schemas]));
    let built = this.#built.get(key);
    if (!built) {
      const source = generateStandaloneModule(input);
      built = Object.freeze({ revision: access.metadata.revision, etag: `"${digest(source).slice(0, 32)}"`, source });
      this.#built.set(key, built);
    }
    return built;
  }
}

function digest(text: string): string {
  return createHash('sha256').update(text).digest('base64url');
}
