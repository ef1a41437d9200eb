import type { Kysely } from 'kysely';
import { SYSTEM_USER_ID } from '../actors';
import type { SystemDatabase } from '../db/system-tables';
import { reason, validationError, type FieldIssue } from '../errors';
import { referenceOf } from '../field-types';
import type { CompiledField, CompiledObject } from '../metadata/compiled';
import { isUuid } from '../metadata/ids';
import { RefusedRow } from './bulk';

/**
 * A spreadsheet names related records the way people read them: the account "华信精密", the owner
 * "zhou.min@example.com". Imports take such names in reference columns and look them up before
 * writing; an id is taken as it is. Lookups are batched per target, one query per 200 distinct names.
 */
export interface NameFinder {
  /** Ids, by name, of the target's records the importer can read whose title field holds the name exactly. */
  records(target: string, names: readonly string[]): Promise<ReadonlyMap<string, readonly string[]>>;
  /** Ids, by name, of active users whose e-mail (any case, alone or as "Name <e-mail>") or name is the name. */
  users(names: readonly string[]): Promise<ReadonlyMap<string, readonly string[]>>;
}

/** What a reference column points at: a record of an object, or a user. */
function targetOf(field: CompiledField): { kind: 'records'; object: string } | { kind: 'users' } | undefined {
  const reference = referenceOf(field.definition);
  if (!reference) return undefined;
  return reference.to === 'record' ? { kind: 'records', object: reference.target } : reference.to === 'user' ? { kind: 'users' } : undefined;
}

const named = (value: unknown): value is string => typeof value === 'string' && value.trim() !== '' && !isUuid(value.trim());

/**
 * Replaces names in reference fields by the ids they name. A row with a name that names no record
 * (or several) becomes a RefusedRow with one issue per such field, so it fails on its own line.
 */
export async function resolveNamedReferences(object: CompiledObject, records: readonly unknown[], find: NameFinder): Promise<unknown[]> {
  const columns = object.fields.flatMap((field) => {
    const target = field.writable ? targetOf(field) : undefined;
    return target ? [{ field, target, key: target.kind === 'users' ? 'users' : `records:${target.object}` }] : [];
  });
  const wanted = new Map<string, { target: NonNullable<ReturnType<typeof targetOf>>; names: Set<string> }>();
  for (const record of records) {
    if (record === null || typeof record !== 'object') continue;
    for (const { field, target, key } of columns) {
      const value = (record as Record<string, unknown>)[field.name];
      if (!named(value)) continue;
      const entry = wanted.get(key) ?? { target, names: new Set<string>() };
      entry.names.add(value.trim());
      wanted.set(key, entry);
    }
  }
  if (wanted.size === 0) return [...records];
  const found = new Map<string, ReadonlyMap<string, readonly string[]>>();
  for (const [key, { target, names }] of wanted) {
    const list = [...names];
    const merged = new Map<string, readonly string[]>();
    for (let start = 0; start < list.length; start += 200) {
      const chunk = list.slice(start, start + 200);
      const ids = target.kind === 'users' ? await find.users(chunk) : await find.records(target.object, chunk);
      for (const [name, matches] of ids) merged.set(name, matches);
    }
    found.set(key, merged);
  }
  return records.map((record) => {
    if (record === null || typeof record !== 'object') return record;
    const values = { ...(record as Record<string, unknown>) };
    const issues: FieldIssue[] = [];
    for (const { field, key } of columns) {
      const value = values[field.name];
      if (!named(value)) continue;
      const name = value.trim();
      const ids = found.get(key)?.get(name) ?? [];
      if (ids.length === 1) values[field.name] = ids[0];
      else if (ids.length === 0) issues.push({ path: field.name, code: 'invalid', params: { reason: reason('no_record_named', { value: name }) } });
      else issues.push({ path: field.name, code: 'invalid', params: { reason: reason('record_name_ambiguous', { value: name, count: ids.length }) } });
    }
    return issues.length ? new RefusedRow(validationError(issues)) : values;
  });
}

/** The e-mail a user cell gives: all of it ("zhou@example.com"), or in angle brackets ("周敏 <zhou@example.com>", as exports write users). */
export function emailIn(text: string): string | undefined {
  const bracketed = /<([^<>\s]+@[^<>\s]+)>\s*$/.exec(text)?.[1];
  return (bracketed ?? (/^[^<>\s]+@[^<>\s]+$/.test(text) ? text : undefined))?.toLowerCase();
}

/**
 * Active users named by e-mail (any case, alone or as "Name <e-mail>") or by name, for user
 * columns. An e-mail names one user; a name may name several. Every signed-in user may pick any
 * user in a user field, so no visibility applies beyond being active and a person.
 */
export async function usersNamed(db: Kysely<SystemDatabase>, names: readonly string[]): Promise<ReadonlyMap<string, readonly string[]>> {
  const emails = new Map(names.flatMap((name) => {
    const email = emailIn(name);
    return email ? [[name, email] as const] : [];
  }));
  const plain = names.filter((name) => !emails.has(name));
  const rows = await db
    .selectFrom('crm_meta.users')
    .select(['id', 'name', 'email'])
    .where('active', '=', true)
    .where('id', '<>', SYSTEM_USER_ID)
    .where((eb) => eb.or([eb('name', 'in', plain.length ? plain : ['']), eb(eb.fn('lower', ['email']), 'in', emails.size ? [...emails.values()] : [''])]))
    .execute();
  const found = new Map<string, string[]>();
  for (const name of plain) found.set(name, rows.filter((row) => row.name === name).map((row) => row.id));
  for (const [name, email] of emails) found.set(name, rows.filter((row) => row.email?.toLowerCase() === email).map((row) => row.id));
  return found;
}
