import type { MetadataKind } from '../db/audit-entries';
import type { JsonSchema } from '../documents/json-schema';
import type { SortSpec } from '../documents/types';
import type { UsageCode } from '../errors/catalogue';
import type { ReasonData } from '../errors/fill';
import type { LocalizedText } from '../errors/localized-text';
import type { RuleScope } from '../rules/scope';
import type { Compilers } from '../core/compilers';
import type { CompiledField, CompiledObjectDocuments } from './compiled';
import type { MetadataSnapshot, StoredObject, StoredObjectDocuments } from './snapshot';

/**
 * A kind of metadata document (fields, layouts, views, validation rules, approval processes,
 * workflows...) as a plug-in. metadata/ knows objects, roles and departments and nothing of the
 * kinds that hang off an object: each kind describes itself here from its own folder, and the
 * snapshot, compile, whole-graph check, rename rewriting and dependency reporting iterate the
 * registry (DocumentKinds) assembled in document-kinds.ts at engine creation.
 *
 * A kind whose documents are attached to an object also declares, by TypeScript module
 * augmentation, the property its documents take on StoredObject (StoredObjectDocuments) and what
 * it adds to CompiledObject (CompiledObjectDocuments), so the rest of the engine reads
 * `object.workflows` typed, while metadata/ never names it.
 */
export interface DocumentKind {
  /** The kind's name in issues, audit events and the change runner's subjects. */
  readonly kind: MetadataKind;
  /** The path segment of its documents in whole-metadata issue paths: `objects/<o>/<plural>/<name>`. */
  readonly plural: string;
  /** The JSON Schema its documents follow (checked when saved; published to the UIs). */
  readonly schema: JsonSchema;
  /** Where its documents are stored, for kinds attached to an object that metadata/ loads for them. */
  readonly storage?: DocumentStorage;
  /** The whole-graph check of its documents on one object: every name they use exists and fits. */
  readonly check?: (context: KindCheckContext) => void;
  /**
   * What it adds to an object's compiled form (its documents by name, compiled rules...). Rules
   * go through `compilers`, which hand back the function of an unchanged rule from an earlier revision.
   */
  readonly compile?: (object: StoredObject, compilers: Compilers) => Partial<CompiledObjectDocuments>;
  /** Its documents that name field `from` of `objectName`, rewritten to name `to`. */
  readonly renameField?: (snapshot: MetadataSnapshot, objectName: string, from: string, to: string) => DocumentUpdate[];
  /** Its documents that name object `from`, rewritten to name `to`. */
  readonly renameObject?: (snapshot: MetadataSnapshot, from: string, to: string) => DocumentUpdate[];
  /** Places in its documents that only display a field, cleaned up when the field is deleted. */
  readonly removeField?: (snapshot: MetadataSnapshot, objectName: string, field: string) => DocumentUpdate[];
  /**
   * What its documents do with what they reference, by where in a document a break was found
   * (the first that matches): how dependency_exists names each user ("reads Amount in its expression").
   */
  readonly usages?: readonly KindUsage[];
}

/** Rows of `crm_meta.<table>` with `id`, `object_id` and `definition`, loaded into StoredObject[key]. */
export interface DocumentStorage {
  readonly table: KindTable;
  readonly key: keyof StoredObjectDocuments;
  /** The order documents load in, which is the order they run and report in. */
  readonly order: 'name' | 'creation';
}

/** The system tables holding documents attached to an object. */
export type KindTable = 'crm_meta.layouts' | 'crm_meta.views' | 'crm_meta.validation_rules' | 'crm_meta.approval_processes' | 'crm_meta.workflows';

/** [path pattern inside the document, what it does, only when the subject is of this kind]. */
export type KindUsage = readonly [RegExp, UsageCode, MetadataKind?];

/** A stored document attached to an object, as the registry handles it without knowing its type. */
export interface NamedDocument {
  readonly name: string;
  readonly label?: LocalizedText;
}

/** A metadata document to write back after a rename or cleanup. */
export interface DocumentUpdate {
  readonly kind: MetadataKind;
  readonly id: string;
  /** The whole document as it is to be stored. */
  readonly definition: object;
}

/** What a kind's whole-graph check sees and how it reports. */
export interface KindCheckContext {
  readonly snapshot: MetadataSnapshot;
  readonly object: StoredObject;
  /** The object's fields, system fields included, compiled. */
  readonly fields: ReadonlyMap<string, CompiledField>;
  /** Every live object by name, and its compiled fields. */
  readonly objects: ReadonlyMap<string, StoredObject>;
  readonly fieldMaps: ReadonlyMap<string, ReadonlyMap<string, CompiledField>>;
  readonly roleNames: ReadonlySet<string>;
  readonly departmentIds: ReadonlySet<string>;
  /** An issue in document `name` of this kind, at `path` inside it. */
  report(name: string, path: string, reason: ReasonData): void;
  /** A JSON-Logic rule over known variables (and, given sqlScope, one that translates to SQL). */
  checkRule(name: string, path: string, rule: unknown, scope: RuleScope, sqlScope?: RuleScope): void;
  /** Field names that exist (in `map`, the object's fields unless given) and appear once. */
  checkFieldNames(name: string, path: string, names: readonly string[], map?: ReadonlyMap<string, CompiledField>, label?: string): void;
  /** Sort entries over sortable fields. */
  checkSort(name: string, path: string, sort: readonly SortSpec[] | undefined, map?: ReadonlyMap<string, CompiledField>, label?: string): void;
}

/** The registry: every kind once, in the order their checks run and their issues are reported. */
export class DocumentKinds {
  readonly #kinds: readonly DocumentKind[];
  readonly #byKind: ReadonlyMap<string, DocumentKind>;

  constructor(kinds: readonly DocumentKind[]) {
    const byKind = new Map<string, DocumentKind>();
    const keys = new Set<string>();
    for (const kind of kinds) {
      if (byKind.has(kind.kind)) throw new Error(`document kind "${kind.kind}" is registered twice`);
      if (kind.storage) {
        if (keys.has(kind.storage.key)) throw new Error(`two document kinds store their documents as "${kind.storage.key}"`);
        keys.add(kind.storage.key);
      }
      byKind.set(kind.kind, kind);
    }
    this.#kinds = Object.freeze([...kinds]);
    this.#byKind = byKind;
    Object.freeze(this);
  }

  all(): readonly DocumentKind[] {
    return this.#kinds;
  }

  find(kind: string): DocumentKind | undefined {
    return this.#byKind.get(kind);
  }

  /** Kinds whose documents metadata/ loads onto each object. */
  stored(): readonly (DocumentKind & { readonly storage: DocumentStorage })[] {
    return this.#kinds.filter((k): k is DocumentKind & { storage: DocumentStorage } => k.storage !== undefined);
  }

  /** The documents of a stored kind on one object. */
  documentsOf(object: StoredObject, kind: DocumentKind): readonly { readonly id: string; readonly definition: NamedDocument }[] {
    if (!kind.storage) return [];
    return (object[kind.storage.key] ?? []) as readonly { readonly id: string; readonly definition: NamedDocument }[];
  }
}

/** Stored documents by API name, in their load order: what a kind's compile step usually serves. */
export function byName<D extends { readonly name: string }>(documents: readonly { readonly definition: D }[]): ReadonlyMap<string, D> {
  return new Map(documents.map((d) => [d.definition.name, d.definition]));
}
