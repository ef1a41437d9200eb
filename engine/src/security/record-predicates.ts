import { sql, type RawBuilder, type SqlBool } from 'kysely';
import type { ActorAccess } from './actor-access';
import { recordTable } from '../schema-sync/ddl';
import { awaitingDecisionBy } from './approval-grant';

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
  /**
   * When the scope reaches few owners: `owned` as one condition per owner, each one range of the
   * (owner_id, created_at desc, id) index, so that a newest-first list merges the owners' ranges
   * instead of walking the whole table's order for their rows.
   */
  readonly perOwner?: readonly RawBuilder<SqlBool>[];
  /** What decides the SQL text (not its values): statements built on it are cached by it. */
  readonly shape: string;
}

/**
 * Up to this many owners, they are bound into the statement and a newest-first list merges one
 * index range per owner; beyond, the database reads them (a department's users, or a subtree's
 * from `crm_meta.department_subtree_owners`) and hashes them once per statement. Measured by
 * `pnpm bench security`: merging beats walking the table's order for a few owners, and a
 * subquery beats binding and parsing a long list of ids.
 */
export const BOUND_OWNERS = 16;

export function recordPredicateParts(access: ActorAccess, objectName: string, kind: 'read' | 'edit', options: PredicateOptions = {}): PredicateParts | null | undefined {
  const object = access.object(objectName);
  const scope = kind === 'read' ? object.readScope : object.editScope;
  if (scope === null) return null;
  if (scope === 'all') return undefined;
  const bind = options.bind ?? bindInline;
  const ref = (column: string) => sql.ref(options.table ? `${options.table}.${column}` : column);
  const userId = bind(access.userId, 'uuid');
  const departmentId = access.subject.departmentId;
  // The owners a scope reaches are known per actor and metadata revision (creating a user or
  // moving one between departments bumps the revision). Without a department, "own department"
  // reaches one's own records.
  // The actor first, always: statements are cached by shape, so the same shape must bind the same way.
  const owners = scope === 'own' || departmentId === null ? [access.userId] : [access.userId, ...(access.owners(scope) ?? []).filter((id) => id !== access.userId)];
  let owned: RawBuilder<SqlBool>;
  let perOwner: RawBuilder<SqlBool>[] | undefined;
  let ownedShape: string;
  if (owners.length === 1) {
    ownedShape = 'one';
    owned = sql<SqlBool>`${ref('owner_id')} = ${userId}`;
    perOwner = [owned];
  } else if (owners.length <= BOUND_OWNERS) {
    ownedShape = `bound${owners.length}`;
    const bound = [userId, ...owners.slice(1).map((id) => bind(id, 'uuid'))];
    owned = sql<SqlBool>`${ref('owner_id')} = any(array[${sql.join(bound)}])`;
    perOwner = bound.map((id) => sql<SqlBool>`${ref('owner_id')} = ${id}`);
  } else {
    // Hashed once per statement (a subquery under `or` is not turned into a join).
    ownedShape = scope;
    owned =
      scope === 'department'
        ? sql<SqlBool>`${ref('owner_id')} in (select u.id from crm_meta.users u where u.department_id = ${bind(departmentId, 'uuid')})`
        : sql<SqlBool>`${ref('owner_id')} in (select unnest(o.owners) from crm_meta.department_subtree_owners o where o.department_id = ${bind(departmentId, 'uuid')})`;
  }
  // Shares reach the user directly, or through their department or any department above it.
  const lineage = access.subject.shareDepartmentIds;
  const departments = lineage.length ? sql`array[${sql.join(lineage.map((id) => bind(id, 'uuid')))}]::uuid[]` : sql`'{}'::uuid[]`;
  const shared = sql<SqlBool>`${ref('id')} = any((select crm_meta.shared_record_ids(${bind(object.object.id, 'uuid')}, ${userId}, ${departments}, ${sql.lit(kind === 'edit')}))::uuid[])`;
  return { owned, shared, ...(perOwner ? { perOwner } : {}), shape: `${kind}:${ownedShape}:${lineage.length}` };
}

/** A record predicate as a list runs it: the whole, its parts when a few owners' ranges can be merged, and its shape. */
export interface Visibility {
  readonly predicate: RawBuilder<SqlBool>;
  readonly parts?: PredicateParts;
  readonly shape: string;
}

export function recordVisibility(access: ActorAccess, objectName: string, kind: 'read' | 'edit', options: PredicateOptions = {}): Visibility | undefined {
  const parts = recordPredicateParts(access, objectName, kind, options);
  if (parts === null) return { predicate: sql<SqlBool>`false`, shape: `${kind}:none` };
  if (parts === undefined) return undefined;
  return { predicate: sql<SqlBool>`(${parts.owned} or ${parts.shared})`, ...(parts.perOwner ? { parts } : {}), shape: parts.shape };
}

export function recordPredicate(access: ActorAccess, objectName: string, kind: 'read' | 'edit', options: PredicateOptions = {}): RawBuilder<SqlBool> | undefined {
  return recordVisibility(access, objectName, kind, options)?.predicate;
}

/**
 * The read predicate of a record fetched by its id (get, its field and approval history, its
 * shares, the row a write locks): the read scope, plus the approval grant (approval-grant.ts) -
 * an approver reads what they are asked to decide on. Lists, counts, exports, search and lookups
 * keep the plain read predicate: the grant shows a record through its approval, not among the
 * approver's records.
 */
export function recordPredicateById(access: ActorAccess, objectName: string): RawBuilder<SqlBool> | undefined {
  const parts = recordPredicateParts(access, objectName, 'read');
  if (parts === null) return sql<SqlBool>`false`;
  if (parts === undefined) return undefined;
  const object = access.object(objectName).object;
  const visible = [parts.owned, parts.shared];
  // No process, no request (a process with pending requests cannot be deleted), as the approval lock assumes.
  // The record table qualifies `id`: inside the subquery a bare `id` would be the request's or the task's.
  if (object.approvalProcesses.size > 0) visible.push(awaitingDecisionBy(bindInline(object.id, 'uuid'), bindInline(access.userId, 'uuid'), sql`${recordTable(object.table)}.id`));
  return sql<SqlBool>`(${sql.join(visible, sql` or `)})`;
}
