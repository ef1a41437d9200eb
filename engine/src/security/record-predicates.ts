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

export function recordPredicate(access: ActorAccess, objectName: string, kind: 'read' | 'edit', options: PredicateOptions = {}): RawBuilder<SqlBool> | undefined {
  const object = access.object(objectName);
  const scope = kind === 'read' ? object.readScope : object.editScope;
  if (scope === null) return sql<SqlBool>`false`;
  const owners = access.owners(scope);
  if (owners === null) return undefined;
  const bind = options.bind ?? bindInline;
  const ref = (column: string) => sql.ref(options.table ? `${options.table}.${column}` : column);
  const departments = access.subject.shareDepartmentIds;
  return sql<SqlBool>`(${ref('owner_id')} = any(${bind(owners, 'uuid[]')}) or ${ref('id')} in (
    select s.record_id from crm_meta.record_shares s
    where s.object_id = ${bind(object.object.id, 'uuid')}
      and (s.user_id = ${bind(access.userId, 'uuid')} ${departments.length ? sql`or s.department_id = any(${bind(departments, 'uuid[]')})` : sql``})
      ${kind === 'edit' ? sql`and s.access = 'edit'` : sql``}))`;
}

/** What decides a predicate's SQL text (not its values), for caching statements that contain it. */
export function predicateShape(access: ActorAccess, objectName: string, kind: 'read' | 'edit'): string {
  const object = access.object(objectName);
  const scope = kind === 'read' ? object.readScope : object.editScope;
  if (scope === null) return `${kind}:none`;
  if (access.owners(scope) === null) return `${kind}:all`;
  return `${kind}:scoped:${access.subject.shareDepartmentIds.length ? 'd' : ''}`;
}
