import type { DataScope, FieldAccessMode, ObjectPermission, RoleDefinition } from '../metadata/types';

export const OPERATIONS = ['create', 'read', 'edit', 'delete', 'export'] as const;
export type Operation = (typeof OPERATIONS)[number];

/** What an API token may do, per object API name (`*` for the others); absent = all its user may. */
export type TokenScopes = Readonly<Record<string, readonly Operation[]>>;

const SCOPE_RANK: Readonly<Record<DataScope, number>> = { own: 0, department: 1, department_and_below: 2, all: 3 };
const MODE_RANK: Readonly<Record<FieldAccessMode, number>> = { hidden: 0, read_only: 1, editable: 2 };

export function widerScope(a: DataScope | null, b: DataScope | null): DataScope | null {
  if (a === null) return b;
  if (b === null) return a;
  return SCOPE_RANK[a] >= SCOPE_RANK[b] ? a : b;
}

export function scopeWithin(inner: DataScope, outer: DataScope): boolean {
  return SCOPE_RANK[inner] <= SCOPE_RANK[outer];
}

/** One object's permissions for one actor: the union of their roles, cut down by a token's scopes. */
export interface ObjectGrant {
  readonly create: boolean;
  readonly read: boolean;
  readonly edit: boolean;
  readonly delete: boolean;
  readonly export: boolean;
  /** Whose records may be read / edited; null when the operation is not granted. */
  readonly readScope: DataScope | null;
  readonly editScope: DataScope | null;
  /** Per field, the most permissive mode any granting role gives (default editable). */
  readonly fieldModes: ReadonlyMap<string, FieldAccessMode>;
}

export const FULL_GRANT: ObjectGrant = Object.freeze({
  create: true,
  read: true,
  edit: true,
  delete: true,
  export: true,
  readScope: 'all',
  editScope: 'all',
  fieldModes: new Map(),
});

export const NO_GRANT: ObjectGrant = Object.freeze({
  create: false,
  read: false,
  edit: false,
  delete: false,
  export: false,
  readScope: null,
  editScope: null,
  fieldModes: new Map(),
});

function permissionFor(role: RoleDefinition, objectName: string): ObjectPermission | undefined {
  return role.objects[objectName] ?? role.objects['*'];
}

/** Merges roles: an operation is allowed if any role allows it; scopes and field modes take the widest. */
export function mergeGrant(roles: readonly RoleDefinition[], objectName: string, scopes: TokenScopes | undefined): ObjectGrant {
  const allowed = scopes ? new Set<Operation>(scopes[objectName] ?? scopes['*'] ?? []) : undefined;
  const may = (op: Operation, granted: boolean | undefined) => granted === true && (!allowed || allowed.has(op));
  let grant = { create: false, read: false, edit: false, delete: false, export: false, readScope: null as DataScope | null, editScope: null as DataScope | null };
  const modes = new Map<string, FieldAccessMode>();
  const granting: ObjectPermission[] = [];
  for (const role of roles) {
    const p = permissionFor(role, objectName);
    if (!p) continue;
    const read = may('read', p.read);
    // Nothing is editable or deletable that cannot be read.
    const edit = read && may('edit', p.edit);
    const remove = read && may('delete', p.delete);
    const readScope = read ? (p.read_scope ?? 'all') : null;
    const editScope = edit || remove ? (p.edit_scope ?? readScope) : null;
    grant = {
      create: grant.create || may('create', p.create),
      read: grant.read || read,
      edit: grant.edit || edit,
      delete: grant.delete || remove,
      export: grant.export || (read && may('export', p.export)),
      readScope: widerScope(grant.readScope, readScope),
      editScope: widerScope(grant.editScope, editScope),
    };
    if (read || may('create', p.create)) granting.push(p);
  }
  // A field is as open as the most open role that grants the object makes it.
  const fieldNames = new Set(granting.flatMap((p) => Object.keys(p.fields ?? {})));
  for (const name of fieldNames) {
    let best: FieldAccessMode = 'hidden';
    for (const p of granting) {
      const mode = p.fields?.[name] ?? 'editable';
      if (MODE_RANK[mode] > MODE_RANK[best]) best = mode;
    }
    if (best !== 'editable') modes.set(name, best);
  }
  return Object.freeze({ ...grant, fieldModes: modes });
}
