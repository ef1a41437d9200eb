import { sql, type Kysely, type Transaction } from 'kysely';
import { actorUserId, SYSTEM_USER_ID, type Actor } from '../../actors';
import { fieldsScope, type RuleContext } from '../../core/rule-scope';
import type { SystemDatabase } from '../../db/system-tables';
import { isPgError, PG } from '../../db/pg-errors';
import { CrmError, reason, validationError, type FieldIssue } from '../../errors';
import type { CompiledObject } from '../../metadata/compiled';
import { isUuid, newId } from '../../metadata/ids';
import { parseSort, resolveSort } from '../../records/sort';
import { compileFilterToSql } from '../../rules/sql';
import type { ActorAccess, ObjectAccess } from '../../security/actor-access';
import type { Administration } from '../../security/administration';
import { visibleView } from '../../security/visible-metadata';
import { mapFilterFields, namesOf, refsOf, type StoredDefinition } from './field-refs';
import { checkSavedViewInput, checkSavedViewPatch } from './saved-view-schema';
import { SAVED_VIEW_LIMITS, type SavedView, type SavedViewDefinition } from './saved-view-types';

interface Row {
  readonly id: string;
  readonly object_id: string;
  readonly name: string;
  readonly definition: unknown;
  readonly created_at: string;
  readonly updated_at: string;
}

/** A filter must translate to SQL for the reader at any time: the reader, at a sample moment. */
const sampleContext = (userId: string): RuleContext => ({ user: { id: userId }, now: new Date(0) });
const COLUMNS = ['id', 'object_id', 'name', 'definition', 'created_at', 'updated_at'] as const;
/**
 * The class of the advisory locks that serialise one user's saves of views of one object ("CRSV";
 * the two-key form, apart from the one-key locks of metadata changes and the bootstrap).
 */
const SAVE_LOCK_CLASS = 0x43525356;

/**
 * Personal saved views of lists: each user keeps named column, sort, filter and search settings
 * per object on the server, so they follow the user to every browser. Every call acts for its
 * actor alone: another user's view is not found. The object must be one the actor may read, and
 * a definition may name only fields the actor may read (a filter is checked as the records API
 * checks it); what stops being readable later is left out when the view is read, and said so.
 */
export class SavedViewService {
  constructor(
    private readonly db: Kysely<SystemDatabase>,
    private readonly administration: Administration,
  ) {}

  /** The actor's views of one object (or of every object they may read), by name. */
  async list(actor: Actor, objectName?: string): Promise<SavedView[]> {
    const access = await this.administration.access(actor);
    let select = this.db.selectFrom('crm_meta.saved_views').select([...COLUMNS]).where('owner_id', '=', actorUserId(actor));
    if (objectName !== undefined) select = select.where('object_id', '=', readable(access, objectName).object.id);
    const rows = await select.orderBy('name').orderBy('id').execute();
    const objects = objectsById(access);
    return rows.flatMap((row) => {
      const object = objects.get(row.object_id);
      return object && access.object(object.name).may('read') ? [present(row, access.object(object.name))] : [];
    });
  }

  async get(actor: Actor, id: string): Promise<SavedView> {
    const access = await this.administration.access(actor);
    const row = await this.#own(this.db, actor, id);
    return present(row, readableById(access, row.object_id, id));
  }

  async create(actor: Actor, input: unknown): Promise<SavedView> {
    const body = checkSavedViewInput(input);
    const access = await this.administration.access(actor);
    const object = readable(access, body.object);
    const definition = stored(body.definition, object, actorUserId(actor));
    const name = body.name.trim();
    return this.db.transaction().execute(async (trx) => {
      // Count and insert as one step: without it, concurrent saves (two tabs, a double click)
      // each count 99 under READ COMMITTED and both insert. Held to the end of the transaction;
      // saves of other users and objects go on (a hash collision only makes two of them queue).
      await sql`select pg_advisory_xact_lock(${SAVE_LOCK_CLASS}, hashtext(${`${actorUserId(actor)}/${object.object.id}`}))`.execute(trx);
      const count = await trx
        .selectFrom('crm_meta.saved_views')
        .select((eb) => eb.fn.countAll<number>().as('n'))
        .where('owner_id', '=', actorUserId(actor))
        .where('object_id', '=', object.object.id)
        .executeTakeFirstOrThrow();
      if (Number(count.n) >= SAVED_VIEW_LIMITS.perObject) {
        throw validationError([{ path: 'object', code: 'too_large', params: { limit: SAVED_VIEW_LIMITS.perObject } }]);
      }
      const row = await uniqueName(name, () =>
        trx
          .insertInto('crm_meta.saved_views')
          .values({ id: newId(), owner_id: actorUserId(actor), object_id: object.object.id, name, definition: JSON.stringify(definition) })
          .returning([...COLUMNS])
          .executeTakeFirstOrThrow(),
      );
      return present(row, object);
    });
  }

  /** Renames it and/or replaces its definition (a whole definition: what it holds now). */
  async update(actor: Actor, id: string, patch: unknown): Promise<SavedView> {
    const body = checkSavedViewPatch(patch);
    const access = await this.administration.access(actor);
    return this.db.transaction().execute(async (trx) => {
      const row = await this.#own(trx, actor, id, true);
      const object = readableById(access, row.object_id, id);
      const changes = {
        ...(body.name !== undefined ? { name: body.name.trim() } : {}),
        ...(body.definition !== undefined ? { definition: JSON.stringify(stored(body.definition, object, actorUserId(actor))) } : {}),
      };
      const updated = await uniqueName(changes.name ?? row.name, () =>
        trx
          .updateTable('crm_meta.saved_views')
          .set({ ...changes, updated_at: new Date().toISOString() })
          .where('id', '=', row.id)
          .returning([...COLUMNS])
          .executeTakeFirstOrThrow(),
      );
      return present(updated, object);
    });
  }

  /** Deletes one of the actor's views (also of an object they may no longer read: it is theirs). */
  async delete(actor: Actor, id: string): Promise<{ id: string }> {
    if (!isUuid(id)) throw new CrmError('saved_view_not_found', { id });
    const deleted = await this.db.deleteFrom('crm_meta.saved_views').where('id', '=', id.toLowerCase()).where('owner_id', '=', actorUserId(actor)).returning('id').executeTakeFirst();
    if (!deleted) throw new CrmError('saved_view_not_found', { id });
    return { id: deleted.id };
  }

  async #own(db: Kysely<SystemDatabase> | Transaction<SystemDatabase>, actor: Actor, id: string, lock = false): Promise<Row> {
    if (!isUuid(id)) throw new CrmError('saved_view_not_found', { id });
    let select = db.selectFrom('crm_meta.saved_views').select([...COLUMNS]).where('id', '=', id.toLowerCase()).where('owner_id', '=', actorUserId(actor));
    if (lock) select = select.forUpdate();
    const row = await select.executeTakeFirst();
    if (!row) throw new CrmError('saved_view_not_found', { id });
    return row;
  }
}

function readable(access: ActorAccess, objectName: string): ObjectAccess {
  const object = access.object(objectName);
  if (!object.may('read')) throw new CrmError('forbidden', { action: 'read', subject: objectName });
  return object;
}

function objectsById(access: ActorAccess): Map<string, CompiledObject> {
  return new Map(access.metadata.objects().map((o) => [o.id, o]));
}

/** The object of a stored view, if the actor may still read it. */
function readableById(access: ActorAccess, objectId: string, viewId: string): ObjectAccess {
  const object = objectsById(access).get(objectId);
  if (!object) throw new CrmError('saved_view_not_found', { id: viewId });
  return readable(access, object.name);
}

/** A list view of the object the reader may see (one reading a hidden field is withheld from them). */
function isListView(access: ObjectAccess, name: string): boolean {
  const view = access.object.views.get(name);
  return view?.type === 'list' && visibleView(view, access.hidden) !== undefined;
}

async function uniqueName<T>(name: string, write: () => Promise<T>): Promise<T> {
  try {
    return await write();
  } catch (error) {
    if (isPgError(error, PG.uniqueViolation, 'saved_views_owner_object_name')) throw new CrmError('name_taken', { kind: 'Saved view', name });
    throw error;
  }
}

/**
 * A definition checked against what the actor may read of the object, in its stored form.
 * Problems are validation_failed issues under `definition/...`; a filter's own problems are the
 * records API's errors for the same filter (rule_invalid, filter_not_translatable).
 */
function stored(definition: SavedViewDefinition, access: ObjectAccess, userId: string): StoredDefinition {
  const object = access.object;
  const issues: FieldIssue[] = [];
  const visible = (name: string) => object.fieldsByName.has(name) && !access.hidden.has(name);
  definition.columns.forEach((name, i) => {
    if (!visible(name)) issues.push({ path: `definition/columns/${i}`, code: 'invalid', params: { reason: reason('not_a_field_of_named', { name, object: object.name }) } });
  });
  if (definition.view !== undefined && !isListView(access, definition.view)) {
    issues.push({ path: 'definition/view', code: 'invalid', params: { reason: reason('not_a_list_view_of', { name: definition.view, object: object.name }) } });
  }
  if (issues.length) throw validationError(issues);
  const sort = definition.sort ? parseSort(definition.sort) : undefined;
  if (sort) {
    if (sort.length > SAVED_VIEW_LIMITS.sortKeys) throw validationError([{ path: 'definition/sort', code: 'too_large', params: { limit: SAVED_VIEW_LIMITS.sortKeys } }]);
    resolveSort(object, sort, access.hidden);
  }
  if (definition.filter !== undefined && definition.filter !== null) {
    compileFilterToSql(definition.filter, fieldsScope(object.fieldsByName, { context: sampleContext(userId), hidden: access.hidden }));
  }
  const ref = refsOf(object);
  return {
    ...(definition.view !== undefined ? { view: definition.view } : {}),
    columns: definition.columns.map(ref),
    ...(sort?.length ? { sort: sort.map((s) => ({ field: ref(s.field), direction: s.direction ?? 'asc' })) } : {}),
    ...(definition.filter !== undefined && definition.filter !== null ? { filter: mapFilterFields(definition.filter, ref).rule } : {}),
    ...(definition.q ? { q: definition.q } : {}),
    ...(definition.filter_builder && definition.filter !== undefined && definition.filter !== null ? { filter_builder: definition.filter_builder } : {}),
  };
}

/** A stored row as the reader may use it now: fields gone or hidden since are left out and named in `dropped`. */
function present(row: Row, access: ObjectAccess): SavedView {
  const object = access.object;
  const def = row.definition as StoredDefinition;
  const name = namesOf(object, access.hidden);
  const dropped = new Set<SavedView['dropped'][number]>();
  const columns = def.columns.flatMap((ref) => name(ref) ?? (dropped.add('columns'), []));
  const sortKeys = (def.sort ?? []).flatMap((s) => {
    const field = name(s.field);
    return field ? [`${s.direction === 'desc' ? '-' : ''}${field}`] : (dropped.add('sort'), []);
  });
  let filter: unknown;
  if (def.filter !== undefined) {
    const mapped = mapFilterFields(def.filter, name);
    // A filter missing a condition would show more than the user asked for: all of it is left out, and said so.
    if (mapped.complete && translates(mapped.rule, object, access.hidden)) filter = mapped.rule;
    else dropped.add('filter');
  }
  const view = def.view !== undefined && isListView(access, def.view) ? def.view : undefined;
  if (def.view !== undefined && view === undefined) dropped.add('view');
  return {
    id: row.id,
    object: object.name,
    name: row.name,
    definition: {
      ...(view !== undefined ? { view } : {}),
      columns,
      ...(sortKeys.length ? { sort: sortKeys.join(',') } : {}),
      ...(filter !== undefined ? { filter } : {}),
      ...(def.q ? { q: def.q } : {}),
      ...(filter !== undefined && def.filter_builder !== undefined ? { filter_builder: def.filter_builder as SavedViewDefinition['filter_builder'] } : {}),
    },
    dropped: [...dropped],
    created_at: row.created_at,
    updated_at: row.updated_at,
  };
}

/** Whether a filter still runs after a field changed type under it (the records API would refuse it). */
function translates(rule: unknown, object: CompiledObject, hidden: ReadonlySet<string>): boolean {
  try {
    compileFilterToSql(rule, fieldsScope(object.fieldsByName, { context: sampleContext(SYSTEM_USER_ID), hidden }));
    return true;
  } catch {
    return false;
  }
}

