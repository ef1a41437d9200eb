import type { Kysely } from 'kysely';
import type { SystemDatabase } from '../db/system-tables';
import { CompiledMetadata } from './compile';
import type { DocumentKinds } from './document-kind';
import { loadSnapshot, readRevision } from './snapshot';

export const REVISION_CHANNEL = 'crm_meta_revision';

/**
 * Compiled metadata, cached per revision. A process learns of revisions from its own commits
 * at once and from other processes through NOTIFY on REVISION_CHANNEL.
 */
export class MetadataCache {
  #current: CompiledMetadata | undefined;
  #loading: Promise<CompiledMetadata> | undefined;
  /** Highest revision known to exist. */
  #wanted = 0;
  /** Set when a notification may have been missed (listener reconnected). */
  #unknown = true;

  constructor(
    private readonly db: Kysely<SystemDatabase>,
    /** The kinds of documents the metadata holds (document-kinds.ts). */
    readonly kinds: DocumentKinds,
  ) {}

  async current(): Promise<CompiledMetadata> {
    const cached = this.#current;
    if (cached && !this.#unknown && cached.revision >= this.#wanted) return cached;
    return this.#reload();
  }

  /**
   * Metadata that knows `objectName` if any revision does: a miss checks the stored revision
   * before failing, so a request right after another process created the object does not 404
   * while the notification is still on its way.
   */
  async withObject(objectName: string): Promise<CompiledMetadata> {
    const metadata = await this.current();
    if (metadata.findObject(objectName)) return metadata;
    const stored = await readRevision(this.db);
    if (stored > metadata.revision) {
      this.notify(stored);
      return this.current();
    }
    return metadata;
  }

  /** A revision exists (from NOTIFY or a local commit); an empty payload means "re-check". */
  notify(payload: string | number): void {
    const revision = typeof payload === 'number' ? payload : Number.parseInt(payload, 10);
    if (Number.isFinite(revision)) this.#wanted = Math.max(this.#wanted, revision);
    else this.#unknown = true;
  }

  /** Installs metadata compiled inside a committed change, saving a reload. */
  install(metadata: CompiledMetadata): void {
    this.notify(metadata.revision);
    if (!this.#current || metadata.revision > this.#current.revision) this.#current = metadata;
  }

  #reload(): Promise<CompiledMetadata> {
    if (this.#loading) return this.#loading;
    this.#unknown = false;
    this.#loading = loadSnapshot(this.db, this.kinds)
      .then((snapshot) => {
        const compiled = new CompiledMetadata(snapshot, this.kinds);
        if (!this.#current || compiled.revision >= this.#current.revision) this.#current = compiled;
        return this.#current;
      })
      .finally(() => {
        this.#loading = undefined;
      });
    return this.#loading;
  }
}
