import { sql, type Kysely } from 'kysely';

/**
 * What record predicates read to decide visibility, shaped so that a list pays little for it
 * (measured by `pnpm bench security`):
 *
 * - `department_subtree_owners`: the users of each department and every department under it, as
 *   one array per department, kept by triggers. "Own department and below" over many owners is
 *   then one primary-key read hashed once per statement, instead of a join of the department
 *   closure with the users planned and run by every list.
 * - `shared_record_ids()`: the records shared with a user or their departments. As a function
 *   call the statement that uses it stays one table to plan; PL/pgSQL keeps its own plan.
 * - Record tables' owner index becomes (owner_id, created_at desc, id): the newest-first order of
 *   a list with its id tie-break, so that a list over a few owners merges one index range per
 *   owner without sorting; an indexed field gets an owner-first index too, (owner_id, field), for
 *   "my records by amount" (tables made before this migration get them here).
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  await sql`
    create table crm_meta.department_subtree_owners (
      department_id uuid primary key references crm_meta.departments (id) on delete cascade,
      owners uuid[] not null default '{}'
    )`.execute(db);
  // A new department has nobody under it yet.
  await sql`
    create function crm_meta.department_subtree_owners_insert() returns trigger language plpgsql as $$
    begin
      insert into crm_meta.department_subtree_owners (department_id) values (new.id);
      return null;
    end $$`.execute(db);
  await sql`
    create trigger department_subtree_owners_insert after insert on crm_meta.departments
    for each row execute function crm_meta.department_subtree_owners_insert()`.execute(db);
  // A move changes the subtrees above it: every department's row is recomputed from the closure
  // (departments are few and move rarely). A statement trigger, so it runs after the closure's
  // own row triggers.
  await sql`
    create function crm_meta.department_subtree_owners_rebuild() returns trigger language plpgsql as $$
    begin
      update crm_meta.department_subtree_owners o set owners = array(
        select u.id from crm_meta.department_closure c join crm_meta.users u on u.department_id = c.department_id
        where c.ancestor_id = o.department_id order by u.id);
      return null;
    end $$`.execute(db);
  await sql`
    create trigger department_subtree_owners_rebuild after update of parent_id on crm_meta.departments
    for each statement execute function crm_meta.department_subtree_owners_rebuild()`.execute(db);
  // A user joining, leaving or changing department: only the departments above it change.
  await sql`
    create function crm_meta.department_subtree_owners_user() returns trigger language plpgsql as $$
    begin
      if tg_op = 'UPDATE' and old.department_id is not distinct from new.department_id then
        return null;
      end if;
      if tg_op in ('UPDATE', 'DELETE') and old.department_id is not null then
        update crm_meta.department_subtree_owners set owners = array_remove(owners, old.id)
        where department_id in (select c.ancestor_id from crm_meta.department_closure c where c.department_id = old.department_id);
      end if;
      if tg_op in ('INSERT', 'UPDATE') and new.department_id is not null then
        update crm_meta.department_subtree_owners set owners = array_append(owners, new.id)
        where department_id in (select c.ancestor_id from crm_meta.department_closure c where c.department_id = new.department_id);
      end if;
      return null;
    end $$`.execute(db);
  await sql`
    create trigger department_subtree_owners_user after insert or delete or update of department_id on crm_meta.users
    for each row execute function crm_meta.department_subtree_owners_user()`.execute(db);
  await sql`
    insert into crm_meta.department_subtree_owners (department_id, owners)
    select d.id, array(
      select u.id from crm_meta.department_closure c join crm_meta.users u on u.department_id = c.department_id
      where c.ancestor_id = d.id order by u.id)
    from crm_meta.departments d`.execute(db);

  // Shares with the user, or with any of `departments` (their department and those above it).
  await sql`
    create function crm_meta.shared_record_ids(object uuid, grantee uuid, departments uuid[], edit_only boolean) returns uuid[] language plpgsql stable as $$
    begin
      return array(
        select s.record_id from crm_meta.record_shares s
        where s.object_id = object and s.user_id = grantee and (not edit_only or s.access = 'edit')
        union all
        select s.record_id from crm_meta.record_shares s
        where s.object_id = object and s.department_id = any(departments) and (not edit_only or s.access = 'edit'));
    end $$`.execute(db);

  const owners = await sql<{ table: string; index: string }>`
    select tablename as table, indexname as index from pg_indexes where schemaname = 'crm_data' and indexname like 'own\\_%'`.execute(db);
  for (const { table, index } of owners.rows) {
    await sql`drop index crm_data.${sql.id(index)}`.execute(db);
    await sql`create index ${sql.id(index)} on crm_data.${sql.id(table)} (owner_id, created_at desc, id)`.execute(db);
  }
  const indexed = await sql<{ id: string; table: string; column: string }>`
    select f.id, o.table_name as table, f.name as column
    from crm_meta.fields f join crm_meta.objects o on o.id = f.object_id
    join pg_tables t on t.schemaname = 'crm_data' and t.tablename = o.table_name
    where (f.definition->>'indexed')::boolean and f.definition->>'type' not in ('lookup', 'master_detail', 'user', 'multiselect', 'formula', 'rollup')`.execute(db);
  for (const { id, table, column } of indexed.rows) {
    await sql`create index if not exists ${sql.id(`oix_${id.replace(/-/g, '')}`)} on crm_data.${sql.id(table)} (owner_id, ${sql.id(column)})`.execute(db);
  }
}

export async function down(db: Kysely<unknown>): Promise<void> {
  const ownerFirst = await sql<{ index: string }>`select indexname as index from pg_indexes where schemaname = 'crm_data' and indexname like 'oix\\_%'`.execute(db);
  for (const { index } of ownerFirst.rows) await sql`drop index crm_data.${sql.id(index)}`.execute(db);
  const owners = await sql<{ table: string; index: string }>`
    select tablename as table, indexname as index from pg_indexes where schemaname = 'crm_data' and indexname like 'own\\_%'`.execute(db);
  for (const { table, index } of owners.rows) {
    await sql`drop index crm_data.${sql.id(index)}`.execute(db);
    await sql`create index ${sql.id(index)} on crm_data.${sql.id(table)} (owner_id, created_at)`.execute(db);
  }
  await sql`drop function crm_meta.shared_record_ids(uuid, uuid, uuid[], boolean)`.execute(db);
  await sql`drop trigger department_subtree_owners_user on crm_meta.users`.execute(db);
  await sql`drop function crm_meta.department_subtree_owners_user()`.execute(db);
  await sql`drop trigger department_subtree_owners_rebuild on crm_meta.departments`.execute(db);
  await sql`drop function crm_meta.department_subtree_owners_rebuild()`.execute(db);
  await sql`drop trigger department_subtree_owners_insert on crm_meta.departments`.execute(db);
  await sql`drop function crm_meta.department_subtree_owners_insert()`.execute(db);
  await sql`drop table crm_meta.department_subtree_owners`.execute(db);
}
