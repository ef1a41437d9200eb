import type { Kysely } from 'kysely';
import type { SystemDatabase } from '../db/system-tables';
import type { DocumentKinds } from './document-kind';
import type { FieldDefinition, ObjectDefinition, RoleDefinition } from './types';

/** Metadata exactly as stored, at one revision. Compiled into CompiledMetadata by compile.ts. */
export interface StoredField {
  readonly id: string;
  readonly position: number;
  readonly definition: FieldDefinition;
}
export interface StoredElement<D> {
  readonly id: string;
  readonly definition: D;
}
/**
 * The documents attached to an object, one property per stored document kind. Empty here: each
 * kind adds its own from its folder by module augmentation (e.g. layouts/layout-kind.ts adds
 * `layouts`), and loadSnapshot fills it from the registry (DocumentKind.storage).
 */
// eslint-disable-next-line @typescript-eslint/no-empty-object-type
export interface StoredObjectDocuments {}

export interface StoredObject extends StoredObjectDocuments {
  readonly id: string;
  readonly tableName: string;
  readonly definition: ObjectDefinition;
  readonly deletedAt: string | null;
  readonly fields: readonly StoredField[];
}
export interface StoredRole {
  readonly id: string;
  readonly definition: RoleDefinition;
}
export interface StoredDepartment {
  readonly id: string;
  readonly name: string;
  readonly parentId: string | null;
}
export interface MetadataSnapshot {
  readonly revision: number;
  readonly objects: readonly StoredObject[];
  readonly roles: readonly StoredRole[];
  readonly departments: readonly StoredDepartment[];
}

/** A live object (not in the recycle bin) by name. */
export function liveObject(snapshot: Pick<MetadataSnapshot, 'objects'>, name: string): StoredObject | undefined {
  return snapshot.objects.find((o) => o.deletedAt === null && o.definition.name === name);
}

export async function readRevision(db: Kysely<SystemDatabase>): Promise<number> {
  const row = await db.selectFrom('crm_meta.state').select('revision').where('id', '=', 1).executeTakeFirstOrThrow();
  return Number(row.revision);
}

/** Loads every object (live and in the recycle bin) with its fields and the documents of every stored kind. */
export async function loadSnapshot(db: Kysely<SystemDatabase>, kinds: DocumentKinds): Promise<MetadataSnapshot> {
  const stored = kinds.stored();
  const [revision, objects, fields, roles, departments, ...documents] = await Promise.all([
    readRevision(db),
    db.selectFrom('crm_meta.objects').selectAll().orderBy('created_at').orderBy('id').execute(),
    db.selectFrom('crm_meta.fields').selectAll().orderBy('position').orderBy('created_at').execute(),
    db.selectFrom('crm_meta.roles').select(['id', 'definition']).orderBy('name').execute(),
    db.selectFrom('crm_meta.departments').select(['id', 'name', 'parent_id']).orderBy('name').orderBy('id').execute(),
    ...stored.map(({ storage }) => {
      const query = db.selectFrom(storage.table).select(['id', 'object_id', 'definition']);
      // By name: documents run and report in an order that does not depend on when they were written.
      // By creation: where the first one that applies wins (approval processes), the oldest comes first.
      return (storage.order === 'name' ? query.orderBy('name') : query.orderBy('created_at').orderBy('id')).execute();
    }),
  ]);
  const group = <T extends { object_id: string }>(rows: readonly T[]) => {
    const map = new Map<string, T[]>();
    for (const row of rows) {
      const list = map.get(row.object_id);
      if (list) list.push(row);
      else map.set(row.object_id, [row]);
    }
    return map;
  };
  const fieldsBy = group(fields);
  const documentsBy = documents.map((rows) => group(rows));
  return {
    revision,
    roles: roles.map((r) => ({ id: r.id, definition: r.definition as RoleDefinition })),
    departments: departments.map((d) => ({ id: d.id, name: d.name, parentId: d.parent_id })),
    objects: objects.map((o) => {
      const object: Record<string, unknown> = {
        id: o.id,
        tableName: o.table_name,
        definition: o.definition as ObjectDefinition,
        deletedAt: o.deleted_at,
        fields: (fieldsBy.get(o.id) ?? []).map((f) => ({ id: f.id, position: f.position, definition: f.definition as FieldDefinition })),
      };
      stored.forEach(({ storage }, i) => {
        object[storage.key] = (documentsBy[i]!.get(o.id) ?? []).map((d) => ({ id: d.id, definition: d.definition }));
      });
      return object as unknown as StoredObject;
    }),
  };
}
