import { createHash } from 'node:crypto';
import { systemActor, type Actor, type CompiledMetadata, type Engine } from '@crm/engine';
import { buildOpenApiDocument } from './build-document';
import type { OpenApiDocument } from './types';
import { ANONYMOUS, viewerOf, type Viewer } from './viewer';

/**
 * Built documents, one per (metadata revision, viewer signature). Building walks every object and
 * serialising is the expensive part of a request for the document, so both happen on the first
 * request of a revision by someone with a new kind of access; everyone with the same access
 * (two users with the same roles, or all administrators) gets the same JSON text and ETag.
 * The cache is bounded (least recently used out), and a newer revision drops the older ones'
 * documents at once: nobody asks for them again.
 */

export interface PublishedDocument {
  readonly revision: number;
  /** The serialised document, sent as it is (the built object is not kept: the text is what is served). */
  readonly json: string;
  /** Strong validator of `json`: it changes with the metadata, the viewer's access and the server's code. */
  readonly etag: string;
}

export const DEFAULT_CAPACITY = 200;

export class OpenApiDocumentCache {
  // A Map iterates in insertion order; re-inserting on a hit keeps the least recently used first.
  readonly #entries = new Map<string, PublishedDocument>();
  #newestRevision = -1;
  #builds = 0;

  constructor(
    private readonly build: (metadata: CompiledMetadata, viewer: Viewer) => OpenApiDocument = buildOpenApiDocument,
    private readonly capacity: number = DEFAULT_CAPACITY,
  ) {}

  /** How many documents were built (tests check that the same access builds none). */
  get builds(): number {
    return this.#builds;
  }

  get size(): number {
    return this.#entries.size;
  }

  publish(metadata: CompiledMetadata, viewer: Viewer): PublishedDocument {
    const key = `${metadata.revision}:${viewer.signature}`;
    const cached = this.#entries.get(key);
    if (cached) {
      this.#entries.delete(key);
      this.#entries.set(key, cached);
      return cached;
    }
    // Building is synchronous, so concurrent first requests cannot interleave halfway through one.
    const json = JSON.stringify(this.build(metadata, viewer));
    this.#builds += 1;
    const published: PublishedDocument = Object.freeze({
      revision: metadata.revision,
      json,
      etag: `"${createHash('sha256').update(json).digest('base64url').slice(0, 27)}"`,
    });
    this.#remember(key, published);
    return published;
  }

  #remember(key: string, published: PublishedDocument): void {
    // A slower request that loaded an older revision is answered, but its document is not kept.
    if (published.revision < this.#newestRevision) return;
    if (published.revision > this.#newestRevision) {
      this.#newestRevision = published.revision;
      for (const [other, entry] of this.#entries) if (entry.revision < published.revision) this.#entries.delete(other);
    }
    this.#entries.set(key, published);
    while (this.#entries.size > this.capacity) this.#entries.delete(this.#entries.keys().next().value!);
  }
}

const caches = new WeakMap<Engine, OpenApiDocumentCache>();

/** The document cache of an engine: every app serving that engine shares it. */
export function documentCacheFor(engine: Engine): OpenApiDocumentCache {
  let cache = caches.get(engine);
  if (!cache) {
    cache = new OpenApiDocumentCache();
    caches.set(engine, cache);
  }
  return cache;
}

/**
 * The document for a caller (null: anonymous). The metadata comes with the actor's access, so the
 * document and the access it was cut to are of one revision. Both are cached by the engine (per
 * revision, and per actor and revision), so a repeated request costs no query and no build.
 */
export async function documentFor(engine: Engine, actor: Actor | null): Promise<PublishedDocument> {
  const cache = documentCacheFor(engine);
  if (!actor) return cache.publish(await engine.metadata(systemActor), ANONYMOUS);
  const access = await engine.access(actor);
  return cache.publish(access.metadata, viewerOf(access));
}
