import { crmErrorOf } from '../db/pg-errors';
import { CrmError, reason, validationError } from '../errors';
import type { CompiledObject } from '../metadata/compiled';
import { constraintName } from '../schema-sync/ddl';

/** What PostgreSQL's errors on record writes mean, by the object's constraints (see crmErrorOf). */
export function translateWriteError(error: unknown, object: CompiledObject): unknown {
  const fieldByConstraint = (prefix: 'uq' | 'fk', constraint: string | undefined) =>
    object.userFields.find((f) => f.id !== null && constraint === constraintName(prefix, f.id));
  return crmErrorOf(error, {
    unique: (pg, cause) => {
      const field = fieldByConstraint('uq', pg.constraint);
      if (field) return new CrmError('unique_violation', { object: object.name, field: field.name }, [{ path: field.name, code: 'unique' }], { cause });
      return new CrmError('unique_violation', { object: object.name, field: 'id' }, [], { cause });
    },
    reference: (pg, cause) => {
      const field = fieldByConstraint('fk', pg.constraint);
      if (field) return validationError([{ path: field.name, code: 'reference_not_found' }]);
      if (pg.constraint?.endsWith('owner_id_fkey')) return validationError([{ path: 'owner_id', code: 'reference_not_found' }]);
      if (pg.constraint?.endsWith('created_by_fkey') || pg.constraint?.endsWith('updated_by_fkey')) return new CrmError('actor_invalid', {}, [], { cause });
      // A purge blocked by a record elsewhere that must not lose its reference.
      return new CrmError('reference_in_use', { object: object.name, count: 1, referencing: pg.table ?? reason('another_object'), field: pg.constraint ?? '?' }, [], { cause });
    },
    // Another process changed the metadata a moment ago; this process has not heard yet. (A
    // prepared statement meeting the change fails with "cached plan must not change result type".)
    staleSchema: (_pg, cause) => new CrmError('metadata_changed', {}, [], { cause }),
  });
}
