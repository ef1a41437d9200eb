import { sql, type Kysely } from 'kysely';

/**
 * Every (ancestor, department) pair of the department tree, the department itself included.
 * Record predicates for "own department and below" select the owners of a subtree with one
 * bound id through it, instead of sending the subtree's owner list with every statement.
 * Row triggers keep it in step with crm_meta.departments, touching only the pairs a change
 * concerns (rebuilding it whole on every change would leave the table full of dead rows).
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  await sql`
    create table crm_meta.department_closure (
      ancestor_id uuid not null references crm_meta.departments (id) on delete cascade,
      department_id uuid not null references crm_meta.departments (id) on delete cascade,
      depth int not null,
      primary key (ancestor_id, department_id)
    )`.execute(db);
  await sql`create index department_closure_department on crm_meta.department_closure (department_id)`.execute(db);

  await sql`
    create function crm_meta.department_closure_insert() returns trigger language plpgsql as $$
    begin
      insert into crm_meta.department_closure (ancestor_id, department_id, depth)
      select c.ancestor_id, new.id, c.depth + 1 from crm_meta.department_closure c where c.department_id = new.parent_id
      union all
      select new.id, new.id, 0;
      return null;
    end $$`.execute(db);
  await sql`
    create trigger department_closure_insert after insert on crm_meta.departments
    for each row execute function crm_meta.department_closure_insert()`.execute(db);

  // A move detaches the subtree from its old ancestors and attaches it under the new parent.
  // A move under its own subtree (a cycle) is left alone here: the department service refuses it
  // in the same transaction, which rolls this back with it.
  await sql`
    create function crm_meta.department_closure_move() returns trigger language plpgsql as $$
    begin
      if exists (select 1 from crm_meta.department_closure where ancestor_id = new.id and department_id = new.parent_id) then
        return null;
      end if;
      delete from crm_meta.department_closure c
      where c.department_id in (select s.department_id from crm_meta.department_closure s where s.ancestor_id = new.id)
        and c.ancestor_id not in (select s.department_id from crm_meta.department_closure s where s.ancestor_id = new.id);
      insert into crm_meta.department_closure (ancestor_id, department_id, depth)
      select a.ancestor_id, s.department_id, a.depth + s.depth + 1
      from crm_meta.department_closure a join crm_meta.department_closure s on s.ancestor_id = new.id
      where a.department_id = new.parent_id;
      return null;
    end $$`.execute(db);
  await sql`
    create trigger department_closure_move after update of parent_id on crm_meta.departments
    for each row when (old.parent_id is distinct from new.parent_id) execute function crm_meta.department_closure_move()`.execute(db);

  // Departments that exist already (deletes cascade through the foreign keys).
  await sql`
    insert into crm_meta.department_closure (ancestor_id, department_id, depth)
    with recursive walk (ancestor_id, department_id, depth) as (
      select id, id, 0 from crm_meta.departments
      union all
      select w.ancestor_id, d.id, w.depth + 1 from walk w join crm_meta.departments d on d.parent_id = w.department_id
    )
    select ancestor_id, department_id, depth from walk`.execute(db);
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await sql`drop trigger department_closure_move on crm_meta.departments`.execute(db);
  await sql`drop trigger department_closure_insert on crm_meta.departments`.execute(db);
  await sql`drop function crm_meta.department_closure_move`.execute(db);
  await sql`drop function crm_meta.department_closure_insert`.execute(db);
  await sql`drop table crm_meta.department_closure`.execute(db);
}
