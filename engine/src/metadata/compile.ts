import { fieldTypeOf, parseAutonumberPattern, type TypeContext } from '../field-types';
import { compileRule } from '../rules';
import type {
  CompiledAutonumber,
  CompiledDefault,
  CompiledField,
  CompiledFormula,
  CompiledObject,
  IncomingReference,
  RollupLink,
} from './compiled';
import { fieldsScope, ruleReads } from './rule-scope';
import { isSearched } from './searched';
import type { MetadataSnapshot, StoredObject } from './snapshot';
import { systemFieldDefinitions } from './system-fields';
import type { AutonumberField, FieldDefinition, FormulaField, RoleDefinition, RollupField } from './types';
import { DepartmentTree } from './department-tree';
import { CrmError } from '../errors';
import type { DocumentKinds } from './document-kind';

/** Immutable view of all metadata at one revision. */
/** Roles and the department tree at one revision. */
export interface CompiledSecurity {
  readonly roles: ReadonlyMap<string, RoleDefinition>;
  readonly roleIdsByName: ReadonlyMap<string, string>;
  readonly departments: DepartmentTree;
}

export class CompiledMetadata {
  readonly revision: number;
  readonly security: CompiledSecurity;
  readonly #objects: ReadonlyMap<string, CompiledObject>;
  readonly #deleted: readonly StoredObject[];

  /** The registry the metadata was loaded and compiled with. */
  readonly kinds: DocumentKinds;

  constructor(snapshot: MetadataSnapshot, kinds: DocumentKinds) {
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
    const incoming = collectIncoming(live);
    const rollupLinks = collectRollupLinks(live);
    const objects = new Map<string, CompiledObject>();
    for (const stored of live) {
      objects.set(
        stored.definition.name,
        compileObject(stored, typeContext, incoming.get(stored.definition.name) ?? [], rollupLinks.get(stored.definition.name) ?? [], kinds),
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

export function compileField(def: FieldDefinition, id: string | null, system: boolean, typeContext: TypeContext): CompiledField {
  const type = fieldTypeOf(def);
  const storage = type.storage(def, typeContext);
  const writable = system ? def.name === 'owner_id' : type.capabilities.input && def.read_only !== true;
  return Object.freeze({
    id,
    name: def.name,
    system,
    definition: def,
    type,
    storage,
    kind: type.valueKind(def, typeContext),
    column: storage.kind === 'column' ? def.name : null,
    writable,
  });
}

function compileObject(
  stored: StoredObject,
  typeContext: TypeContext,
  incomingReferences: readonly IncomingReference[],
  rollupsOnParents: readonly RollupLink[],
  kinds: DocumentKinds,
): CompiledObject {
  const name = stored.definition.name;
  const systemFields = systemFieldDefinitions(name).map((def) => compileField(def, null, true, typeContext));
  const userFields = stored.fields.map((f) => compileField(f.definition, f.id, false, typeContext));
  const fields = [...systemFields, ...userFields];
  const fieldsByName = new Map(fields.map((f) => [f.name, f]));
  const formulas = orderFormulas(userFields).map(
    (field): CompiledFormula => ({
      field,
      evaluate: compileRule((field.definition as FormulaField).expression),
      reads: ruleReads((field.definition as FormulaField).expression),
    }),
  );
  const defaults = userFields
    .filter((f) => f.definition.default !== undefined)
    .map((field): CompiledDefault => ({ field, evaluate: compileRule(field.definition.default) }));
  const autonumbers = userFields
    .filter((f) => f.definition.type === 'autonumber')
    .map((field): CompiledAutonumber => {
      const def = field.definition as AutonumberField;
      const format = parseAutonumberPattern(def.pattern);
      if (!format) throw new Error(`stored autonumber pattern of ${name}.${field.name} is invalid`);
      return { field, format, startAt: def.start_at ?? 1 };
    });
  const searchColumns = userFields
    .filter((f) => f.column && isSearched(f.definition, stored.definition.title_field))
    .map((f) => f.column!);
  const documents = Object.assign({}, ...kinds.all().map((kind) => kind.compile?.(stored)));
  return Object.freeze({
    ...documents,
    id: stored.id,
    name,
    table: stored.tableName,
    definition: stored.definition,
    fields,
    userFields,
    fieldsByName,
    columns: fields.filter((f) => f.column).map((f) => f.column!),
    scope: fieldsScope(fieldsByName),
    formulas,
    defaults,
    autonumbers,
    rollupsOnParents,
    incomingReferences,
    searchColumns,
  }) as CompiledObject;
}

/** Formulas in an order where each runs after the formulas it reads (cycles are refused when saved). */
function orderFormulas(fields: readonly CompiledField[]): CompiledField[] {
  const formulas = new Map(fields.filter((f) => f.definition.type === 'formula').map((f) => [f.name, f]));
  const ordered: CompiledField[] = [];
  const state = new Map<string, 'visiting' | 'done'>();
  const visit = (field: CompiledField): void => {
    if (state.get(field.name) === 'done') return;
    if (state.get(field.name) === 'visiting') throw new Error(`formula cycle through ${field.name}`);
    state.set(field.name, 'visiting');
    for (const read of ruleReads((field.definition as FormulaField).expression)) {
      const dependency = formulas.get(read);
      if (dependency) visit(dependency);
    }
    state.set(field.name, 'done');
    ordered.push(field);
  };
  formulas.forEach(visit);
  return ordered;
}

function collectIncoming(objects: readonly StoredObject[]): Map<string, IncomingReference[]> {
  const incoming = new Map<string, IncomingReference[]>();
  for (const object of objects) {
    for (const { definition: def } of object.fields) {
      if (def.type !== 'lookup' && def.type !== 'master_detail') continue;
      const onDelete = def.type === 'master_detail' ? 'cascade' : (def.on_delete ?? 'set_null');
      const list = incoming.get(def.target) ?? [];
      list.push({ object: object.definition.name, table: object.tableName, field: def.name, column: def.name, onDelete });
      incoming.set(def.target, list);
    }
  }
  return incoming;
}

/** Rollups grouped by the child object they aggregate. */
function collectRollupLinks(objects: readonly StoredObject[]): Map<string, RollupLink[]> {
  const links = new Map<string, RollupLink[]>();
  for (const parent of objects) {
    for (const { definition } of parent.fields) {
      if (definition.type !== 'rollup') continue;
      const def = definition as RollupField;
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
