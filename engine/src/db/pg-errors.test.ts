import { describe, expect, it } from 'vitest';
import { systemActor } from '../actors';
import { CrmError, isCrmError } from '../errors';
import { expectCrmError, uniqueName, useTestEngine } from '../testing';
import { crmErrorOf, isPgError, PG } from './pg-errors';

const harness = useTestEngine();
const pgError = (code: string, constraint?: string) => Object.assign(new Error(`pg ${code}`), { code, ...(constraint ? { constraint } : {}) });

describe('the one mapping of PostgreSQL errors', () => {
  it('makes every lock, deadlock and serialization failure a lock_timeout, whatever the caller maps', () => {
    for (const code of [PG.lockNotAvailable, PG.deadlockDetected, PG.serializationFailure]) {
      const mapped = crmErrorOf(pgError(code), { unique: () => new CrmError('internal') });
      expect(isCrmError(mapped, 'lock_timeout')).toBe(true);
    }
  });

  it("hands unique, reference and stale-schema errors to the caller's mapping, and leaves the rest alone", () => {
    const seen: string[] = [];
    const mapping = {
      unique: (pg: { constraint?: string }) => (seen.push(`unique:${pg.constraint}`), new CrmError('unique_violation', { object: 'o', field: 'f' })),
      reference: (pg: { code: string }) => (seen.push(`reference:${pg.code}`), new CrmError('reference_in_use', { object: 'o', count: 1, referencing: 'x', field: 'y' })),
      staleSchema: () => new CrmError('metadata_changed'),
    };
    expect(isCrmError(crmErrorOf(pgError(PG.uniqueViolation, 'uq_x'), mapping), 'unique_violation')).toBe(true);
    expect(isCrmError(crmErrorOf(pgError(PG.foreignKeyViolation), mapping), 'reference_in_use')).toBe(true);
    expect(isCrmError(crmErrorOf(pgError(PG.restrictViolation), mapping), 'reference_in_use')).toBe(true);
    expect(isCrmError(crmErrorOf(pgError(PG.undefinedColumn), mapping), 'metadata_changed')).toBe(true);
    expect(seen).toEqual(['unique:uq_x', `reference:${PG.foreignKeyViolation}`, `reference:${PG.restrictViolation}`]);
    // Unmapped codes, a mapping that declines, catalogue errors and other errors pass through as they are.
    const check = pgError(PG.checkViolation);
    expect(crmErrorOf(check, mapping)).toBe(check);
    const unique = pgError(PG.uniqueViolation);
    expect(crmErrorOf(unique)).toBe(unique);
    expect(crmErrorOf(unique, { unique: () => undefined })).toBe(unique);
    const crm = new CrmError('forbidden', { action: 'a', subject: 's' });
    expect(crmErrorOf(crm, mapping)).toBe(crm);
    const plain = new Error('not a database error');
    expect(crmErrorOf(plain, mapping)).toBe(plain);
  });

  it('tells a constraint apart for control flow', () => {
    expect(isPgError(pgError(PG.uniqueViolation, 'idempotency_keys_pkey'), PG.uniqueViolation, 'idempotency_keys_pkey')).toBe(true);
    expect(isPgError(pgError(PG.uniqueViolation, 'other'), PG.uniqueViolation, 'idempotency_keys_pkey')).toBe(false);
    expect(isPgError(pgError(PG.foreignKeyViolation), PG.uniqueViolation)).toBe(false);
    expect(isPgError(new Error('x'), PG.uniqueViolation)).toBe(false);
  });

  it("gives the services' constraints their meaning: a taken email, a missing manager", async () => {
    const { engine } = harness();
    const email = `${uniqueName('u')}@example.com`;
    await engine.users.create(systemActor, { name: 'First', email });
    const taken = await expectCrmError(engine.users.create(systemActor, { name: 'Second', email }), 'validation_failed');
    expect(taken.fields.map((f) => [f.path, f.code])).toEqual([['email', 'unique']]);
    const missing = await expectCrmError(engine.users.create(systemActor, { name: 'Third', manager_id: '00000000-0000-4000-8000-000000000009' }), 'validation_failed');
    expect(missing.fields.map((f) => [f.path, f.code])).toEqual([['manager_id', 'reference_not_found']]);
  });
});
