import { installTemplate, systemActor } from '@crm/engine';
import { expectCrmError } from '@crm/engine/testing';
import { readTemplate } from '@crm/templates';
import type { ValidateFunction } from 'ajv/dist/2020.js';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { expectSchemaValid, schemaValidator } from './schema-validator';
import { startTestServer, type TestServer } from './test-server';

/**
 * The document against the engine itself: what the engine returns must validate against the
 * read schemas, and the create schema must accept what the engine accepts and refuse what it
 * refuses. This is what keeps the description honest when a field type changes.
 */
describe('record schemas agree with the engine', () => {
  let server: TestServer;
  let schemaOf: (name: string) => ValidateFunction;

  beforeAll(async () => {
    server = await startTestServer();
    await installTemplate(server.engine, systemActor, readTemplate('sales'), { sampleData: true });
    const { text } = await server.fetchDocument();
    schemaOf = schemaValidator(text);
  });
  afterAll(async () => {
    await server?.close();
  });

  const expectValid = (name: string, value: unknown): void => expectSchemaValid(schemaOf, name, value);

  it('matches every sample record, page and expanded reference the engine returns', async () => {
    for (const object of ['account', 'contact', 'opportunity']) {
      const page = await server.engine.records.list(systemActor, object, { limit: 500, count: true });
      expect(page.data.length, object).toBeGreaterThan(0);
      expectValid(`${object}_list`, page);
      for (const record of page.data) expectValid(object, record);
    }
    // The schemas do bite: a decimal as a float or an unknown stage is not what the API returns.
    const sample = (await server.engine.records.list(systemActor, 'opportunity', { limit: 1 })).data[0]!;
    expect(schemaOf('opportunity')({ ...sample, amount: 12.5 })).toBe(false);
    expect(schemaOf('opportunity')({ ...sample, stage: 'maybe' })).toBe(false);
    const expanded = await server.engine.records.list(systemActor, 'opportunity', { expand: ['account', 'primary_contact', 'owner_id', 'created_by'] });
    expect(typeof expanded.data[0]!.account).toBe('object');
    for (const record of expanded.data) expectValid('opportunity', record);
    const narrowed = await server.engine.records.list(systemActor, 'opportunity', { fields: ['title', 'expected_revenue'] });
    for (const record of narrowed.data) expectValid('opportunity', record);
  });

  it('accepts on create what the engine accepts, and returns what the read schema describes', async () => {
    const account = (await server.engine.records.list(systemActor, 'account', { limit: 1 })).data[0]!;
    const inputs = [
      { title: 'Numbers as numbers', account: account.id, amount: 1200.5, probability: 25, close_date: '2030-01-31' },
      { title: 'Numbers as text', account: account.id, amount: '99.90', stage: 'lost', loss_reason: 'price', description: null },
    ];
    for (const input of inputs) {
      expectValid('opportunity_create', input);
      const created = await server.engine.records.create(systemActor, 'opportunity', input);
      expectValid('opportunity', created);
      expect(created.expected_revenue === null || typeof created.expected_revenue === 'number').toBe(true);
      expectValid('opportunity_update', { stage: 'won', loss_reason: null, amount: '1.00' });
    }
  });

  it('refuses on create what the engine refuses', async () => {
    const account = (await server.engine.records.list(systemActor, 'account', { limit: 1 })).data[0]!;
    const refused = [
      { title: 'Unknown stage', account: account.id, stage: 'maybe' },
      { account: account.id, stage: 'qualify' }, // no title
      { title: 'Writes a formula', account: account.id, expected_revenue: 5 },
      { title: 'Writes an autonumber', account: account.id, number: 'OPP-9999' },
      { title: 'No master' },
    ];
    for (const input of refused) {
      expect(schemaOf('opportunity_create')(input), JSON.stringify(input)).toBe(false);
      await expectCrmError(server.engine.records.create(systemActor, 'opportunity', input), 'validation_failed');
    }
  });
});
