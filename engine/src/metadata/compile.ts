import { aggregateOf, computationOf, parseAutonumberPattern, recordReferenceOf, type TypeContext } from '../field-types';
import { compileInputObject, compileObjectFields } from '../core/input-object';
import type { Compilers } from '../core/compilers';
import type { CompiledAutonumber, CompiledObject, IncomingReference, ObjectFields, RollupLink } from './compiled';
import { defaultCompilers } from './default-compilers';
import { fieldsScope, ruleReads } from './rule-scope';
import { searchKeyColumn } from '@crm/migrations/search-key';
import { isSearched } from './searched';
import type { MetadataSnapshot, StoredObject } from './snapshot';
import type { AutonumberField, RoleDefinition } from './types';
import { DepartmentTree } from './department-tree';
import type { DocumentKinds } from './document-kind';
import { CrmError } from '../errors';

/** Immutable view of all metadata at one revision. */
/** Roles and the department tree at one revision. */
export interface CompiledSecurity {
  readonly roles: ReadonlyMap<string, RoleDefinition>;
  readonly roleIdsByName: ReadonlyMap<string, string>;
  readonly departments: DepartmentTree;
}

/**
 * Every live object's fields at one snapshot, compiled once: a change's whole-graph check reads
 * them (validate-graph.ts) and the change's compiled metadata is built on the same ones.
 */
export type SnapshotFields = ReadonlyMap<string, ObjectFields>;

export function compileSnapshotFields(snapshot: MetadataSnapshot): SnapshotFields {
  const typeContext = snapshotTypeContext(snapshot);
  const live = snapshot.objects.filter((o) => o.deletedAt === null);
  return new Map(live.map((o) => [o.definition.name, compileObjectFields({ object: o.definition, fields: o.fields }, typeContext)]));
}

/** The fields of compiled metadata, as compileSnapshotFields gives them for the snapshot it was compiled from. */
export function snapshotFieldsOf(metadata: CompiledMetadata): SnapshotFields {
  return new Map(metadata.objects().map((o) => [o.name, o]));
}

export interface CompileOptions {
  /** How rules and JSON Schemas become functions (the engine's own unless given; the cache reuses them across revisions). */
  readonly compilers?: Compilers;
  /** The snapshot's fields, when its whole-graph check compiled them already. */
  readonly fields?: SnapshotFields;
}

export class CompiledMetadata {
  readonly revision: number;
  readonly security: CompiledSecurity;
  readonly #objects: ReadonlyMap<string, CompiledObject>;
  readonly #deleted: readonly StoredObject[];

  /** The registry the metadata was loaded and compiled with. */
  readonly kinds: DocumentKinds;

  constructor(snapshot: MetadataSnapshot, kinds: DocumentKinds, options: CompileOptions = {}) {
    this.kinds = kinds;
    this.revision = snapshot.revision;
    this.security = {
      roles: new Map(snapshot.roles.map((r) => [r.id, r.definition])),
      roleIdsByName: new Map(snapshot.roles.map((r) => [r.definition.name, r.id])),
      departments: new DepartmentTree(snapshot.departments),
    };
    const live = snapshot.objects.filter((o) => o.deletedAt === null);
    this.#deleted = snapshot.objects.filter((o) => o.deletedAt !== null);
    const typeContext = snapshotTypeContext(snapshot);
    const fields = options.fields ?? compileSnapshotFields(snapshot);
    const compilers = options.compilers ?? defaultCompilers;
    const incoming = collectIncoming(live);
    const rollupLinks = collectRollupLinks(live);
    const objects = new Map<string, CompiledObject>();
    for (const stored of live) {
      objects.set(
        stored.definition.name,
        compileObject(stored, { typeContext, fields: fields.get(stored.definition.name)!, compilers }, incoming.get(stored.definition.name) ?? [], rollupLinks.get(stored.definition.name) ?? [], kinds),
      );
    }
    this.#objects = objects;
    Object.freeze(this);
  }

  /** A live object, or object_not_found. */
  object(name: string): CompiledObject {
    const found = this.#objects.get(name);
    if (!found) throw new CrmError('object_not_found', { object: name });
    return found;
  }

  findObject(name: string): CompiledObject | undefined {
    return this.#objects.get(name);
  }

  objects(): readonly CompiledObject[] {
    return [...this.#objects.values()];
  }

  deletedObjects(): readonly StoredObject[] {
    return this.#deleted;
  }
}

export function snapshotTypeContext(snapshot: MetadataSnapshot): TypeContext {
  return {
    field(objectName, fieldName) {
      const object = snapshot.objects.find((o) => o.deletedAt === null && o.definition.name === objectName);
      return object?.fields.find((f) => f.definition.name === fieldName)?.definition;
    },
  };
}

export { compileField } from '../core/input-object';

/** What one object's compile works with: the snapshot's type context, the object's compiled fields, the compilers. */
interface ObjectCompile {
  readonly typeContext: TypeContext;
  readonly fields: ObjectFields;
  readonly compilers: Compilers;
}

function compileObject(
  stored: StoredObject,
  { typeContext, fields: objectFields, compilers }: ObjectCompile,
  incomingReferences: readonly IncomingReference[],
  rollupsOnParents: readonly RollupLink[],
  kinds: DocumentKinds,
): CompiledObject {
  const name = stored.definition.name;
  const input = compileInputObject(
    { object: stored.definition, fields: stored.fields, validationRules: stored.validationRules.map((r) => r.definition) },
    compilers,
    typeContext,
    objectFields,
  );
  const { fields, userFields, fieldsByName } = input;
  const autonumbers = userFields
    .filter((f) => computationOf(f.definition)?.kind === 'sequence')
    .map((field): CompiledAutonumber => {
      const def = field.definition as AutonumberField;
      const format = parseAutonumberPattern(def.pattern);
      if (!format) throw new Error(`stored autonumber pattern of ${name}.${field.name} is invalid`);
      return { field, format, startAt: def.start_at ?? 1 };
    });
  const searched = userFields.filter((f) => f.column && isSearched(f.definition, stored.definition.title_field));
  const searchColumns = searched.map((f) => f.column!);
  const searchKeys = new Map(searched.map((f) => [f.column!, searchKeyColumn(f.id!)]));
  const documents = Object.assign({}, ...kinds.all().map((kind) => kind.compile?.(stored, compilers)));
  return Object.freeze({
    ...documents,
    ...input,
    id: stored.id,
    table: stored.tableName,
    columns: fields.filter((f) => f.column).map((f) => f.column!),
    scope: fieldsScope(fieldsByName),
    autonumbers,
    rollupsOnParents,
    incomingReferences,
    searchColumns,
    searchKeys,
  }) as CompiledObject;
}

function collectIncoming(objects: readonly StoredObject[]): Map<string, IncomingReference[]> {
  const incoming = new Map<string, IncomingReference[]>();
  for (const object of objects) {
    for (const { definition: def } of object.fields) {
      const reference = recordReferenceOf(def);
      if (!reference) continue;
      const list = incoming.get(reference.target) ?? [];
      list.push({ object: object.definition.name, table: object.tableName, field: def.name, column: def.name, onDelete: reference.onDelete });
      incoming.set(reference.target, list);
    }
  }
  return incoming;
}

/** Rollups grouped by the child object they aggregate. */
function collectRollupLinks(objects: readonly StoredObject[]): Map<string, RollupLink[]> {
  const links = new Map<string, RollupLink[]>();
  for (const parent of objects) {
    for (const { definition } of parent.fields) {
      const def = aggregateOf(definition);
      if (!def) continue;
      const dependsOn = new Set<string>([def.relationship_field, 'deleted_at']);
      if (def.aggregate_field) dependsOn.add(def.aggregate_field);
      for (const read of ruleReads(def.filter)) dependsOn.add(read);
      const list = links.get(def.child_object) ?? [];
      list.push({
        parentObject: parent.definition.name,
        parentTable: parent.tableName,
        rollupColumn: def.name,
        aggregate: def.aggregate,
        relationshipColumn: def.relationship_field,
        aggregateColumn: def.aggregate === 'count' ? null : (def.aggregate_field ?? null),
        filter: def.filter,
        dependsOn,
      });
      links.set(def.child_object, list);
    }
  }
  return links;
}
