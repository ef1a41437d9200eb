import { asPgError, PG } from '../db/pg-errors';
import { CrmError, isCrmError, reason, validationError } from '../errors';
import type { CompiledObject } from '../metadata/compiled';
import { constraintName } from '../schema-sync/ddl';

/** The one place where PostgreSQL's errors on record writes become catalogue errors. */
export function translateWriteError(error: unknown, object: CompiledObject): unknown {
  if (isCrmError(error)) return error;
  const pg = asPgError(error);
  if (!pg) return error;
  const fieldByConstraint = (prefix: 'uq' | 'fk') =>
    object.userFields.find((f) => f.id !== null && pg.constraint === constraintName(prefix, f.id));
  switch (pg.code) {
    case PG.uniqueViolation: {
      const field = fieldByConstraint('uq');
      if (field) {
        return new CrmError('unique_violation', { object: object.name, field: field.name }, [{ path: field.name, code: 'unique' }], { cause: error });
      }
      return new CrmError('unique_violation', { object: object.name, field: 'id' }, [], { cause: error });
    }
    case PG.restrictViolation:
    case PG.foreignKeyViolation: {
      const field = fieldByConstraint('fk');
      if (field) return validationError([{ path: field.name, code: 'reference_not_found' }]);
      if (pg.constraint?.endsWith('owner_id_fkey')) return validationError([{ path: 'owner_id', code: 'reference_not_found' }]);
      if (pg.constraint?.endsWith('created_by_fkey') || pg.constraint?.endsWith('updated_by_fkey')) return new CrmError('actor_invalid', {}, [], { cause: error });
      // A purge blocked by a record elsewhere that must not lose its reference.
      return new CrmError('reference_in_use', { object: object.name, count: 1, referencing: pg.table ?? reason('another_object'), field: pg.constraint ?? '?' }, [], { cause: error });
    }
    case PG.undefinedColumn:
    case PG.undefinedTable:
    // "cached plan must not change result type": a prepared statement met a schema change.
    case PG.featureNotSupported:
      // Another process changed the metadata a moment ago; this process has not heard yet.
      return new CrmError('metadata_changed', {}, [], { cause: error });
    case PG.lockNotAvailable:
    case PG.deadlockDetected:
    case PG.serializationFailure:
      return new CrmError('lock_timeout', {}, [], { cause: error });
    default:
      return error;
  }
}
