import { sql, type RawBuilder, type SqlBool } from 'kysely';
import type { ActorAccess } from './actor-access';

/**
 * Record visibility as SQL, ANDed into every statement the engine runs for an actor: the
 * records whose owner the scope reaches, plus the records shared with the actor (directly or
 * with their department or one above it). Undefined means "no restriction".
 */
/** Binds a value into the predicate (inline by default; cached statements bind slots instead). */
export type Bind = (value: unknown, type: 'uuid' | 'uuid[]') => RawBuilder<unknown>;

const bindInline: Bind = (value, type) => sql`${value}::${sql.raw(type)}`;

export interface PredicateOptions {
  /** Alias of the record table in the statement. */
  readonly table?: string;
  readonly bind?: Bind;
}

/**
 * The two ways a record becomes visible, kept apart so that a list can read each one through its
 * own index (records/list-query.ts): `owned`, the records of the owners the scope reaches, and
 * `shared`, the records shared with the actor. `null` when the scope reaches no record at all.
 */
export interface PredicateParts {
  readonly owned: RawBuilder<SqlBool>;
  readonly shared: RawBuilder<SqlBool>;
  /** Whether `owned` is one owner's records (one range of the (owner_id, created_at) index). */
  readonly singleOwner: boolean;
}

export function recordPredicateParts(access: ActorAccess, objectName: string, kind: 'read' | 'edit', options: PredicateOptions = {}): PredicateParts | null | undefined {
  const object = access.object(objectName);
  const scope = kind === 'read' ? object.readScope : object.editScope;
  if (scope === null) return null;
  if (scope === 'all') return undefined;
  const bind = options.bind ?? bindInline;
  const ref = (column: string) => sql.ref(options.table ? `${options.table}.${column}` : column);
  const userId = bind(access.userId, 'uuid');
  const departmentId = access.subject.departmentId;
  // Owners are selected in SQL from one bound id, never sent as a list: a company-wide subtree is
  // 1,000 owner ids per statement to send and parse, a department id is one (measured by
  // `pnpm bench security`). Without a department, "own department" reaches one's own records.
  const singleOwner = scope === 'own' || departmentId === null;
  const owned =
    singleOwner
      ? sql<SqlBool>`${ref('owner_id')} = ${userId}`
      : scope === 'department'
        ? sql<SqlBool>`${ref('owner_id')} in (select u.id from crm_meta.users u where u.department_id = ${bind(departmentId, 'uuid')})`
        : sql<SqlBool>`${ref('owner_id')} in (
            select u.id from crm_meta.users u join crm_meta.department_closure c on c.department_id = u.department_id
            where c.ancestor_id = ${bind(departmentId, 'uuid')})`;
  // Shares reach the user directly or through their department or any department above it. One
  // branch per share index (an `or` inside one select scans every share of the object), and the
  // ids as an array, so that `owned or shared` can still be answered from two indexes.
  const objectId = bind(object.object.id, 'uuid');
  const shareAccess = kind === 'edit' ? sql`and s.access = 'edit'` : sql``;
  const sharedWithDepartment =
    departmentId === null
      ? sql``
      : sql`union all select s.record_id from crm_meta.record_shares s
          where s.object_id = ${objectId} ${shareAccess}
            and s.department_id = any(array(select c.ancestor_id from crm_meta.department_closure c where c.department_id = ${bind(departmentId, 'uuid')}))`;
  const shared = sql<SqlBool>`${ref('id')} = any(array(
    select s.record_id from crm_meta.record_shares s where s.object_id = ${objectId} and s.user_id = ${userId} ${shareAccess}
    ${sharedWithDepartment}))`;
  return { owned, shared, singleOwner };
}

export function recordPredicate(access: ActorAccess, objectName: string, kind: 'read' | 'edit', options: PredicateOptions = {}): RawBuilder<SqlBool> | undefined {
  const parts = recordPredicateParts(access, objectName, kind, options);
  if (parts === null) return sql<SqlBool>`false`;
  return parts && sql<SqlBool>`(${parts.owned} or ${parts.shared})`;
}

/** What decides a predicate's SQL text (not its values), for caching statements that contain it. */
export function predicateShape(access: ActorAccess, objectName: string, kind: 'read' | 'edit'): string {
  const object = access.object(objectName);
  const scope = kind === 'read' ? object.readScope : object.editScope;
  if (scope === null) return `${kind}:none`;
  if (scope === 'all') return `${kind}:all`;
  return access.subject.departmentId === null ? `${kind}:own` : `${kind}:${scope}:d`;
}
