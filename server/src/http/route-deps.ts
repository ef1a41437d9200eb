import type { Actor, Engine } from '@crm/engine';
import type { PublishedDocument } from '../openapi/document-cache';

/** What the handlers of the API's route declarations are registered with. */
export interface RouteDeps {
  readonly engine: Engine;
  /** The OpenAPI document cut to a caller (null: anonymous), built from the same declarations. */
  readonly documentFor: (actor: Actor | null) => Promise<PublishedDocument>;
}
