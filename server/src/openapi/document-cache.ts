import { createHash } from 'node:crypto';
import { systemActor, type CompiledMetadata, type Engine } from '@crm/engine';
import { buildOpenApiDocument } from './build-document';
import type { OpenApiDocument } from './types';

/**
 * The OpenAPI document, built once per metadata revision. Building walks every object and
 * serialising it is the expensive part of a request for it, so both happen on the first request
 * after a revision change and every other request gets the same frozen document, JSON text and
 * ETag. Asking for the current metadata is cheap (the engine caches it per revision and learns
 * of other processes' changes through NOTIFY), so a change made anywhere shows on the next GET.
 */

export interface PublishedDocument {
  readonly revision: number;
  readonly document: OpenApiDocument;
  /** The serialised document, sent as it is. */
  readonly json: string;
  /** Strong validator of `json`: it changes with the metadata and with the server's code. */
  readonly etag: string;
}

function deepFreeze<T>(value: T): T {
  if (value && typeof value === 'object' && !Object.isFrozen(value)) {
    Object.freeze(value);
    for (const child of Object.values(value)) deepFreeze(child);
  }
  return value;
}

export class OpenApiDocumentCache {
  #current: PublishedDocument | undefined;
  #builds = 0;

  constructor(
    private readonly loadMetadata: () => Promise<CompiledMetadata>,
    private readonly build: (metadata: CompiledMetadata) => OpenApiDocument = buildOpenApiDocument,
  ) {}

  /** How many times a document was built (tests check that unchanged metadata builds none). */
  get builds(): number {
    return this.#builds;
  }

  async current(): Promise<PublishedDocument> {
    const metadata = await this.loadMetadata();
    const cached = this.#current;
    if (cached && cached.revision === metadata.revision) return cached;
    // Building is synchronous, so concurrent first requests cannot interleave halfway through one.
    const document = deepFreeze(this.build(metadata));
    const json = JSON.stringify(document);
    this.#builds += 1;
    const published: PublishedDocument = Object.freeze({
      revision: metadata.revision,
      document,
      json,
      etag: `"${createHash('sha256').update(json).digest('base64url').slice(0, 27)}"`,
    });
    // A slower request that loaded an older revision must not replace a newer document.
    if (!this.#current || this.#current.revision <= published.revision) this.#current = published;
    return published;
  }
}

const caches = new WeakMap<Engine, OpenApiDocumentCache>();

/** The document cache of an engine: every app serving that engine shares it. */
export function documentCacheFor(engine: Engine): OpenApiDocumentCache {
  let cache = caches.get(engine);
  if (!cache) {
    // The document describes every object; the system actor sees them all.
    cache = new OpenApiDocumentCache(() => engine.metadata(systemActor));
    caches.set(engine, cache);
  }
  return cache;
}
