import type { Kysely } from 'kysely';
import { atomicUnitState, whenCommitted } from '../db/atomic-unit';
import type { SystemDatabase } from '../db/system-tables';
import type { Compilers } from '../core/compilers';
import { CompiledMetadata, type SnapshotFields } from './compile';
import { defaultCompilers } from './default-compilers';
import { reusingCompilers } from './reused-compilers';
import type { DocumentKinds } from './document-kind';
import { loadSnapshot, readRevision, type MetadataSnapshot } from './snapshot';

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
  /** Bumped by `discard`. */
  #generation = 0;
  /** Set when a notification may have been missed (listener reconnected). */
  #unknown = true;
  /** Every revision's compile goes through these, so unchanged rules and validators are not compiled again. */
  readonly #compilers: Compilers;

  constructor(
    private readonly db: Kysely<SystemDatabase>,
    /** The kinds of documents the metadata holds (document-kinds.ts). */
    readonly kinds: DocumentKinds,
    /** How rules and JSON Schemas become functions (core/compilers.ts); the engine's own unless given. */
    compilers: Compilers = defaultCompilers,
  ) {
    this.#compilers = reusingCompilers(compilers);
  }

  /** The compiled metadata of `revision` when this process holds it already; never loads. */
  compiledAt(revision: number): CompiledMetadata | undefined {
    const held = this.#heldByUnit();
    if (held?.revision === revision) return held;
    return this.#current?.revision === revision ? this.#current : undefined;
  }

  /**
   * Metadata an open atomic unit's changes compiled and has not committed: the unit's own work
   * reads it, everyone else the committed metadata (their statements cannot see its tables yet).
   */
  #heldByUnit(): CompiledMetadata | undefined {
    return atomicUnitState()?.get(this) as CompiledMetadata | undefined;
  }

  /** Compiles a snapshot (given its fields when a change's whole-graph check compiled them). */
  compile(snapshot: MetadataSnapshot, fields?: SnapshotFields): CompiledMetadata {
    return new CompiledMetadata(snapshot, this.kinds, { compilers: this.#compilers, ...(fields ? { fields } : {}) });
  }

  async current(): Promise<CompiledMetadata> {
    const held = this.#heldByUnit();
    if (held) return held;
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

  /**
   * Installs metadata compiled inside a committed change, saving a reload. Inside an atomic unit
   * the change is committed only to the unit: the unit holds it, and it is installed here once the
   * unit commits (a unit that rolls back takes it along).
   */
  install(metadata: CompiledMetadata): void {
    const unit = atomicUnitState();
    if (unit) {
      const held = unit.get(this) as CompiledMetadata | undefined;
      if (!held || metadata.revision > held.revision) unit.set(this, metadata);
      whenCommitted(this, () => this.#publish(unit.get(this) as CompiledMetadata));
      return;
    }
    this.#publish(metadata);
  }

  #publish(metadata: CompiledMetadata): void {
    this.notify(metadata.revision);
    if (!this.#current || metadata.revision > this.#current.revision) this.#current = metadata;
  }

  /** Drops what is held (metadata of changes that were rolled back), so the next read reloads. */
  discard(): void {
    this.#generation += 1;
    this.#current = undefined;
    this.#loading = undefined;
    this.#unknown = true;
  }

  #reload(): Promise<CompiledMetadata> {
    if (this.#loading) return this.#loading;
    this.#unknown = false;
    // A load begun before a discard may have read what was discarded: it answers its own callers only.
    const generation = this.#generation;
    const loading = loadSnapshot(this.db, this.kinds)
      .then((snapshot) => {
        const compiled = this.compile(snapshot);
        if (generation !== this.#generation) return compiled;
        if (!this.#current || compiled.revision >= this.#current.revision) this.#current = compiled;
        return this.#current;
      })
      .finally(() => {
        if (this.#loading === loading) this.#loading = undefined;
      });
    this.#loading = loading;
    return loading;
  }
}
