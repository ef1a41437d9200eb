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

/**
 * Owner lists longer than this are matched through a hashed subquery instead of a literal
 * `= any(...)`: the planner estimates a literal list element by element (about 0.3 µs each on
 * every list, 0.3 ms for 1,000 owners), while hashing it at run time costs about the same for
 * any length. Below it the literal list is cheaper (measured by `pnpm bench security`).
 */
const HASHED_OWNER_LIST = 128;

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
const literals = new WeakMap<readonly string[], string | null>();

/**
 * A list of ids as its uuid[] literal, built once per list: owner and department lists live as
 * long as the actor's access (one metadata revision), and serialising 1,000 ids on every call
 * costs more than the rest of building the statement. Anything but plain uuids is bound as is.
 */
function uuidList(ids: readonly string[]): unknown {
  let literal = literals.get(ids);
  if (literal === undefined) {
    literal = ids.every((id) => typeof id === 'string' && UUID.test(id)) ? `{${ids.join(',')}}` : null;
    literals.set(ids, literal);
  }
  return literal ?? ids;
}

export interface PredicateOptions {
  /** Alias of the record table in the statement. */
  readonly table?: string;
  readonly bind?: Bind;
}

export function recordPredicate(access: ActorAccess, objectName: string, kind: 'read' | 'edit', options: PredicateOptions = {}): RawBuilder<SqlBool> | undefined {
  const object = access.object(objectName);
  const scope = kind === 'read' ? object.readScope : object.editScope;
  if (scope === null) return sql<SqlBool>`false`;
  const owners = access.owners(scope);
  if (owners === null) return undefined;
  const bind = options.bind ?? bindInline;
  const ref = (column: string) => sql.ref(options.table ? `${options.table}.${column}` : column);
  const departments = access.subject.shareDepartmentIds;
  // Both forms select exactly the rows whose owner is in the list (owner_id is never null).
  const owned =
    owners.length > HASHED_OWNER_LIST
      ? sql`${ref('owner_id')} in (select unnest(${bind(uuidList(owners), 'uuid[]')}))`
      : sql`${ref('owner_id')} = any(${bind(uuidList(owners), 'uuid[]')})`;
  return sql<SqlBool>`(${owned} or ${ref('id')} in (
    select s.record_id from crm_meta.record_shares s
    where s.object_id = ${bind(object.object.id, 'uuid')}
      and (s.user_id = ${bind(access.userId, 'uuid')} ${departments.length ? sql`or s.department_id = any(${bind(uuidList(departments), 'uuid[]')})` : sql``})
      ${kind === 'edit' ? sql`and s.access = 'edit'` : sql``}))`;
}

/** What decides a predicate's SQL text (not its values), for caching statements that contain it. */
export function predicateShape(access: ActorAccess, objectName: string, kind: 'read' | 'edit'): string {
  const object = access.object(objectName);
  const scope = kind === 'read' ? object.readScope : object.editScope;
  if (scope === null) return `${kind}:none`;
  const owners = access.owners(scope);
  if (owners === null) return `${kind}:all`;
  return `${kind}:scoped:${owners.length > HASHED_OWNER_LIST ? 'h' : ''}${access.subject.shareDepartmentIds.length ? 'd' : ''}`;
}
