import SwaggerParser from '@apidevtools/swagger-parser';
import { AUDIT_EVENTS, AUDIT_KINDS, errorCatalogue, fieldIssueCatalogue, OPERATIONS, systemActor } from '@crm/engine';
import { readTemplate } from '@crm/templates';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestServer, type OpenApiJson, type Operation, type Schema, type TestServer } from './test-server';

interface TemplateField {
  readonly name: string;
  readonly type: string;
  readonly required?: boolean;
  readonly default?: unknown;
  readonly read_only?: boolean;
  readonly options?: readonly { value: string; active?: boolean }[];
}
interface TemplateObject {
  readonly name: string;
  readonly fields: readonly TemplateField[];
}
const sales = readTemplate('sales') as { objects: TemplateObject[]; fields: (TemplateField & { object: string })[] };

/** Every field the sales template gives an object, plain and computed. */
function templateFields(object: string): TemplateField[] {
  return [...sales.objects.find((o) => o.name === object)!.fields, ...sales.fields.filter((f) => f.object === object)];
}

const METHODS = ['get', 'post', 'patch', 'delete'] as const;

function operations(document: OpenApiJson): [string, string, Operation][] {
  return Object.entries(document.paths).flatMap(([path, item]) =>
    METHODS.filter((method) => item[method]).map((method) => [path, method, item[method] as Operation] as [string, string, Operation]),
  );
}

function enumValues(schema: Schema): unknown[] {
  return (schema.enum ?? []).filter((value) => value !== null);
}

/**
 * Each catalogue code is listed under the response for its status. Responses no operation of a
 * document uses are left out of it, so only the statuses the document uses are checked.
 */
function expectCatalogueResponses(document: OpenApiJson, statuses?: readonly number[]): void {
  const { responses } = document.components;
  const names: Record<number, string> = { 400: 'BadRequest', 401: 'Unauthorized', 403: 'Forbidden', 404: 'NotFound', 408: 'RequestTimeout', 409: 'Conflict', 412: 'PreconditionFailed', 413: 'PayloadTooLarge', 415: 'UnsupportedMediaType', 422: 'UnprocessableEntity', 429: 'TooManyRequests', 431: 'RequestHeaderFieldsTooLarge', 500: 'InternalError', 503: 'ServiceUnavailable' };
  for (const [code, { status }] of Object.entries(errorCatalogue)) {
    const name = names[status] ?? `Status${status}`;
    if (!responses[name] && !statuses?.includes(status)) continue;
    expect(responses[name]?.description, `${code} under ${name}`).toContain(`\`${code}\``);
  }
}

async function validateOpenApi(text: string): Promise<void> {
  // swagger-parser dereferences in place: give it its own copy.
  await SwaggerParser.validate(JSON.parse(text) as never);
}

describe('GET /api/openapi.json', () => {
  let server: TestServer;

  beforeAll(async () => {
    server = await startTestServer();
  });
  afterAll(async () => {
    await server?.close();
  });

  it('is a valid OpenAPI 3.1 document on empty metadata, served with and without authentication', async () => {
    const anonymous = await server.fetchDocument({ token: null });
    expect(anonymous.response.status).toBe(200);
    await validateOpenApi(anonymous.text);
    expect(Object.keys(anonymous.document.paths)).toEqual(Object.keys((await server.fetchDocument()).document.paths));
    const { response, text, document } = await server.fetchDocument();
    expect(response.status).toBe(200);
    expect(response.headers.get('content-type')).toMatch(/^application\/json/);
    await validateOpenApi(text);
    expect(document.openapi).toBe('3.1.0');
    expect(document.info['x-crm-revision']).toBe((await server.engine.metadata(systemActor)).revision);
    expect(Object.keys(document.paths).filter((p) => p.startsWith('/api/records'))).toEqual([]);
    expect(Object.keys(document.paths)).toEqual(
      expect.arrayContaining([
        '/healthz',
        '/readyz',
        '/api/auth/sign-in',
        '/api/auth/sign-out',
        '/api/auth/me',
        '/api/auth/tokens',
        '/api/auth/tokens/{id}',
        '/api/auth/password',
        '/api/users',
        '/api/users/{id}',
        '/api/users/{id}/password',
        '/api/departments',
        '/api/departments/{id}',
        '/api/meta/roles',
        '/api/meta/roles/{name}',
        '/api/audit',
        '/api/meta/objects',
        '/api/meta/objects/{object}',
        '/api/meta/objects/{object}/restore',
        '/api/meta/objects/{object}/fields',
        '/api/meta/objects/{object}/fields/{field}',
        '/api/meta/objects/{object}/layouts',
        '/api/meta/objects/{object}/layouts/{layout}',
        '/api/meta/objects/{object}/views',
        '/api/meta/objects/{object}/views/{view}',
        '/api/meta/objects/{object}/validation-rules',
        '/api/meta/objects/{object}/validation-rules/{validation_rule}',
      ]),
    );
  });

  it('marks public routes public and requires an API token, or a session with its CSRF token for writes, everywhere else', async () => {
    const { document } = await server.fetchDocument();
    const schemes = document.components.securitySchemes;
    expect(schemes.apiToken).toMatchObject({ type: 'http', scheme: 'bearer' });
    expect(schemes.session).toMatchObject({ type: 'apiKey', in: 'cookie', name: 'crm_session' });
    expect(schemes.csrfToken).toMatchObject({ type: 'apiKey', in: 'header', name: 'X-CSRF-Token' });
    const publicOperations = ['get_health', 'get_readiness', 'sign_in', 'get_openapi_document'];
    for (const [path, method, operation] of operations(document)) {
      if (publicOperations.includes(operation.operationId)) {
        expect(operation.security, `${method} ${path}`).toEqual([]);
      } else if (method === 'get') {
        expect(operation.security, `${method} ${path}`).toEqual([{ apiToken: [] }, { session: [] }]);
      } else {
        expect(operation.security, `${method} ${path}`).toEqual([{ apiToken: [] }, { session: [], csrfToken: [] }]);
        expect(operation.responses['403'], `${method} ${path}`).toEqual({ $ref: '#/components/responses/Forbidden' });
      }
    }
  });

  it('answers every error in the one Error shape, whose codes are exactly the catalogue', async () => {
    const { document } = await server.fetchDocument();
    const { schemas, responses } = document.components;
    expect(schemas.ErrorDetail!.properties!.code!.enum).toEqual(Object.keys(errorCatalogue));
    expect(schemas.FieldError!.properties!.code!.anyOf).toEqual([
      { type: 'string', enum: Object.keys(fieldIssueCatalogue) },
      { type: 'string', pattern: '^rule:[a-z][a-z0-9_]{0,62}$' },
    ]);
    // A field entry may name the field for programs (API name) and people (label).
    expect(schemas.FieldError).toMatchObject({ properties: { field: { type: 'string' }, label: { type: 'string' } }, required: ['path', 'code', 'message'] });
    expect(schemas.Error).toMatchObject({ properties: { error: { $ref: '#/components/schemas/ErrorDetail' } }, required: ['error'] });
    for (const [path, method, operation] of operations(document)) {
      expect(operation.responses['500'], `${method} ${path}`).toBeDefined();
      for (const [status, response] of Object.entries(operation.responses)) {
        if (Number(status) < 400) continue;
        const resolved = typeof response.$ref === 'string' ? responses[response.$ref.split('/').pop()!]! : (response as never as OpenApiJson['components']['responses'][string]);
        expect(resolved.content?.['application/json']?.schema, `${method} ${path} ${status}`).toEqual({ $ref: '#/components/schemas/Error' });
      }
    }
    expectCatalogueResponses(document);
  });

  it('derives the metadata document schemas from the engine, with a discriminated FieldDefinition', async () => {
    const { document } = await server.fetchDocument();
    const { schemas } = document.components;
    const fieldDefinition = schemas.FieldDefinition as { oneOf: { $ref: string }[]; discriminator: { propertyName: string; mapping: Record<string, string> } };
    expect(fieldDefinition.discriminator.propertyName).toBe('type');
    expect(Object.keys(fieldDefinition.discriminator.mapping)).toHaveLength(21);
    expect(schemas.FieldDefinition_select!.properties!.options).toMatchObject({ items: { $ref: '#/components/schemas/SelectOption' } });
    expect(schemas.FieldDefinition_formula!.required).toEqual(expect.arrayContaining(['expression', 'result_type']));
    expect(schemas.ObjectDefinition!.properties!.label).toEqual({ $ref: '#/components/schemas/I18nText' });
    expect(Object.keys(schemas).filter((name) => /^(Layout|View)Definition_/.test(name)).sort()).toEqual([
      'LayoutDefinition_detail',
      'LayoutDefinition_form',
      'ViewDefinition_kanban',
      'ViewDefinition_list',
    ]);
    const patchField = document.paths['/api/meta/objects/{object}/fields/{field}']!.patch as Operation;
    expect(patchField.parameters).toContainEqual(expect.objectContaining({ name: 'convert', schema: expect.objectContaining({ enum: ['null_invalid', 'round', 'truncate', 'first_value'] }) }));
  });

  describe('with the sales template installed', () => {
    let document: OpenApiJson;
    let text: string;

    beforeAll(async () => {
      await server.installSales();
      ({ document, text } = await server.fetchDocument());
    });

    it('is still a valid OpenAPI 3.1 document, with record paths and schemas for every object', async () => {
      await validateOpenApi(text);
      for (const object of ['account', 'contact', 'opportunity']) {
        expect(Object.keys(document.paths)).toEqual(
          expect.arrayContaining(
            ['', '/bulk', '/export', '/import', '/transfer', '/{id}', '/{id}/restore', '/{id}/history', '/{id}/shares', '/{id}/shares/{share}'].map((p) => `/api/records/${object}${p}`),
          ),
        );
        expect(Object.keys(document.components.schemas)).toEqual(
          expect.arrayContaining([object, `${object}_create`, `${object}_update`, `${object}_list`, `${object}_bulk_request`, `${object}_bulk_result`]),
        );
      }
    });

    it("lists a select field's options: active ones for input, all of them for reading", async () => {
      const { schemas } = document.components;
      for (const object of ['account', 'contact', 'opportunity']) {
        for (const field of templateFields(object).filter((f) => f.options)) {
          const all = field.options!.map((o) => o.value);
          const active = field.options!.filter((o) => o.active !== false).map((o) => o.value);
          const read = schemas[object]!.properties![field.name]!;
          const create = schemas[`${object}_create`]!.properties![field.name]!;
          const update = schemas[`${object}_update`]!.properties![field.name]!;
          if (field.type === 'select') {
            expect(enumValues(read), `${object}.${field.name}`).toEqual(all);
            expect(enumValues(create)).toEqual(active);
            expect(enumValues(update)).toEqual(active);
          } else {
            expect(enumValues(read.items!)).toEqual(all);
            expect(enumValues(create.items as Schema)).toEqual(active);
          }
        }
      }
      expect(enumValues(schemas.opportunity_create!.properties!.stage!)).toEqual(['qualify', 'needs', 'proposal', 'negotiation', 'won', 'lost']);
    });

    it('requires on create exactly the required fields nothing fills in, and master-detail fields; nothing on update', async () => {
      const { schemas } = document.components;
      for (const object of ['account', 'contact', 'opportunity']) {
        const expected = templateFields(object)
          .filter((f) => (f.required === true || f.type === 'master_detail') && f.default === undefined)
          .map((f) => f.name);
        expect([...(schemas[`${object}_create`]!.required ?? [])].sort(), object).toEqual(expected.sort());
        expect(schemas[`${object}_update`]!.required, object).toBeUndefined();
        expect(schemas[object]!.required).toEqual(['id']);
      }
      expect(schemas.opportunity_create!.required).toEqual(['title', 'account']);
      // A required field with a default may be left out; its default is stated.
      expect(schemas.opportunity_create!.properties!.stage).toMatchObject({ 'x-crm-default': 'qualify', description: 'Default: "qualify".' });
    });

    it('keeps computed and system fields read-only and out of create and update', async () => {
      const { schemas } = document.components;
      for (const object of ['account', 'contact', 'opportunity']) {
        const computed = templateFields(object).filter((f) => ['autonumber', 'formula', 'rollup'].includes(f.type) || f.read_only);
        const system = ['id', 'created_at', 'updated_at', 'created_by', 'updated_by', 'version', 'deleted_at'];
        for (const name of [...computed.map((f) => f.name), ...system]) {
          expect(schemas[object]!.properties![name], `${object}.${name}`).toMatchObject({ readOnly: true });
          expect(schemas[`${object}_create`]!.properties![name], `${object}_create.${name}`).toBeUndefined();
          expect(schemas[`${object}_update`]!.properties![name], `${object}_update.${name}`).toBeUndefined();
        }
        expect(schemas[`${object}_create`]!.properties!.owner_id).toBeDefined();
        expect(schemas[`${object}_create`]!.additionalProperties).toBe(false);
      }
      expect(Object.keys(schemas.account!.properties!)).toEqual(expect.arrayContaining(['open_pipeline', 'won_deals', 'last_close']));
    });

    it('types values as the API returns and accepts them', async () => {
      const { schemas } = document.components;
      const opportunity = schemas.opportunity!.properties!;
      expect(opportunity.amount).toMatchObject({ type: ['string', 'null'], pattern: '^-?\\d+\\.\\d{2}$', 'x-crm-currency': 'CNY' });
      expect(opportunity.expected_revenue).toMatchObject({ type: ['number', 'null'], readOnly: true });
      expect(opportunity.is_closed).toMatchObject({ type: ['boolean', 'null'] });
      expect(opportunity.close_date).toMatchObject({ type: ['string', 'null'], format: 'date' });
      expect(opportunity.created_at).toMatchObject({ type: 'string', format: 'date-time' });
      expect(opportunity.deleted_at).toMatchObject({ type: ['string', 'null'], format: 'date-time' });
      expect(opportunity.version).toMatchObject({ type: 'integer' });
      expect(opportunity.account).toMatchObject({ oneOf: [{ type: 'string', format: 'uuid' }, { $ref: '#/components/schemas/account' }, { type: 'null' }] });
      expect(opportunity.owner_id).toMatchObject({ oneOf: [{ type: 'string', format: 'uuid' }, { $ref: '#/components/schemas/ExpandedUser' }] });
      expect(opportunity.title).toMatchObject({ title: 'Opportunity', 'x-crm-label': { en: 'Opportunity', 'zh-CN': '商机名称' } });
      expect(schemas.opportunity_create!.properties!.amount).toMatchObject({ anyOf: [{ type: 'number' }, { type: 'string' }, { type: 'null' }] });
      expect(schemas.account!.properties!.won_deals).toMatchObject({ type: ['integer', 'null'], readOnly: true });
      expect(schemas.account!.properties!.open_pipeline).toMatchObject({ type: ['string', 'null'], readOnly: true });
      expect(schemas.account!.properties!.last_close).toMatchObject({ type: ['string', 'null'], format: 'date' });
      expect(schemas.contact!.properties!.email).toMatchObject({ type: ['string', 'null'], format: 'email', maxLength: 254 });
      expect(schemas.opportunity_list).toMatchObject({
        properties: { data: { items: { $ref: '#/components/schemas/opportunity' } }, next_cursor: { type: ['string', 'null'] }, total: { type: 'integer' } },
        required: ['data', 'next_cursor'],
      });
    });

    it('documents the record operations with their parameters, headers and error statuses', async () => {
      const list = document.paths['/api/records/opportunity']!.get as Operation;
      const parameter = (operation: Operation, name: string) => operation.parameters!.find((p) => p.name === name) as Schema;
      expect(parameter(list, 'limit').schema).toMatchObject({ type: 'integer', minimum: 1, maximum: 500, default: 50 });
      expect(parameter(list, 'fields')).toMatchObject({ style: 'form', explode: false });
      expect(enumValues((parameter(list, 'expand').schema as Schema).items!)).toEqual(['created_by', 'updated_by', 'owner_id', 'account', 'primary_contact']);
      const sortable = enumValues((parameter(list, 'sort').schema as Schema).items!);
      expect(sortable).toEqual(expect.arrayContaining(['amount', '-amount', 'title', '-created_at']));
      expect(sortable).not.toContain('expected_revenue'); // formulas are computed on read: not sortable
      for (const name of ['filter', 'cursor', 'q', 'count', 'deleted']) expect(parameter(list, name), name).toBeDefined();

      const create = document.paths['/api/records/opportunity']!.post as Operation;
      expect(create.requestBody!.content['application/json']!.schema).toEqual({ $ref: '#/components/schemas/opportunity_create' });
      expect(create.parameters).toContainEqual({ $ref: '#/components/parameters/IdempotencyKey' });
      expect(create.responses['201']).toMatchObject({ headers: { ETag: expect.any(Object), Location: expect.any(Object) } });
      expect(Object.keys(create.responses)).toEqual(expect.arrayContaining(['201', '400', '401', '403', '409', '413', '415', '422', '429', '500']));

      const item = document.paths['/api/records/opportunity/{id}']!;
      const update = item.patch as Operation;
      expect(update.parameters).toContainEqual({ $ref: '#/components/parameters/IfMatch' });
      expect(Object.keys(update.responses)).toEqual(expect.arrayContaining(['200', '404', '409', '412']));
      expect((item.delete as Operation).parameters).toContainEqual({ $ref: '#/components/parameters/IfMatch' });
      expect((item.get as Operation).responses['200']).toMatchObject({ headers: { ETag: expect.any(Object) } });

      const bulk = document.components.schemas.opportunity_bulk_request!;
      expect(bulk.properties!.records).toMatchObject({ maxItems: 1000, items: { $ref: '#/components/schemas/opportunity_bulk_record' } });
      expect(bulk.properties!.operation!.enum).toEqual(['create', 'update', 'upsert']);
      expect(document.components.schemas.contact_bulk_request!.properties!.upsert_field!.enum).toEqual(['email']);
      expect(document.components.schemas.opportunity_bulk_result).toMatchObject({
        properties: { results: { items: { properties: { error: { $ref: '#/components/schemas/ErrorDetail' }, record: { $ref: '#/components/schemas/opportunity' } } } } },
      });
    });

    it('lists every catalogue code under the response for its status', () => {
      expectCatalogueResponses(document, [...new Set(Object.values(errorCatalogue).map((d) => d.status))]);
    });

    it('documents export, transfer, history and shares with their shapes and error statuses', () => {
      const exported = document.paths['/api/records/opportunity/export']!.get as Operation;
      expect(exported.operationId).toBe('export_opportunity_records');
      expect(exported.parameters!.map((p) => p.name)).toEqual(['format', 'filter', 'sort', 'fields', 'labels']);
      const ok = exported.responses['200'] as { content: Record<string, unknown>; headers: Record<string, unknown> };
      expect(Object.keys(ok.content)).toEqual(['text/csv', 'application/x-ndjson']);
      expect(ok.headers['Content-Disposition']).toBeDefined();
      expect(Object.keys(exported.responses)).toEqual(expect.arrayContaining(['400', '401', '403', '404']));

      const transfer = document.paths['/api/records/opportunity/transfer']!.post as Operation;
      expect(transfer.requestBody!.content['application/json']!.schema).toEqual({ $ref: '#/components/schemas/TransferRequest' });
      expect(document.components.schemas.TransferRequest!.properties!.ids).toMatchObject({ minItems: 1, maxItems: 1000 });

      const history = document.paths['/api/records/opportunity/{id}/history']!.get as Operation;
      expect(history.responses['200']).toMatchObject({ content: { 'application/json': { schema: { $ref: '#/components/schemas/FieldHistory' } } } });
      const shares = document.paths['/api/records/opportunity/{id}/shares']!;
      expect((shares.post as Operation).responses['201']).toMatchObject({ content: { 'application/json': { schema: { $ref: '#/components/schemas/RecordShare' } } } });
      expect(Object.keys((shares.post as Operation).responses)).toEqual(expect.arrayContaining(['403', '404']));
      const revoke = document.paths['/api/records/opportunity/{id}/shares/{share}']!.delete as Operation;
      expect(Object.keys(revoke.responses)).toEqual(expect.arrayContaining(['204', '403', '404']));
    });

    it('documents roles from the engine schema, the audit log and scoped tokens', () => {
      const { schemas } = document.components;
      expect(schemas.RoleDefinition!.properties!.label).toEqual({ $ref: '#/components/schemas/I18nText' });
      expect(schemas.RoleDefinition!.properties!.objects).toMatchObject({ additionalProperties: { $ref: '#/components/schemas/ObjectPermission' } });
      expect(schemas.ObjectPermission!.properties!.fields).toMatchObject({ additionalProperties: { enum: ['hidden', 'read_only', 'editable'] } });
      expect(schemas.AuditRecord!.properties!.event!.enum).toEqual([...AUDIT_EVENTS]);
      expect(schemas.ApiTokenCreateRequest!.properties!.scopes).toMatchObject({ additionalProperties: { items: { enum: [...OPERATIONS] } } });
      expect(schemas.AuditRecord!.properties!.event!.enum).toEqual(expect.arrayContaining(['field_changed', 'object_restored', 'department_created']));
      const audit = document.paths['/api/audit']!.get as Operation;
      expect(Object.keys(audit.responses)).toEqual(expect.arrayContaining(['200', '400', '401', '403']));
      expect(audit.parameters).toContainEqual(expect.objectContaining({ name: 'kind', schema: expect.objectContaining({ enum: [...AUDIT_KINDS] }) }));
      const password = document.paths['/api/auth/password']!.post as Operation;
      expect(password.requestBody!.content['application/json']!.schema).toEqual({ $ref: '#/components/schemas/PasswordChangeRequest' });
      expect(password.responses['204']).toBeDefined();
    });

    it('maps every field type, with inactive options readable but not choosable', async () => {
      await server.engine.objects.create(systemActor, {
        name: 'gadget',
        label: { en: 'Gadget', 'zh-CN': '小工具' },
        fields: [
          { name: 'code', type: 'text', label: 'Code', pattern: '^[A-Z]+$', max_length: 20, help: { en: 'Upper case', 'zh-CN': '大写' } },
          { name: 'notes', type: 'textarea', label: 'Notes' },
          { name: 'site', type: 'url', label: 'Site' },
          { name: 'mobile', type: 'phone', label: 'Mobile' },
          { name: 'count', type: 'integer', label: 'Count', min: 0, max: 10 },
          { name: 'weight', type: 'decimal', label: 'Weight', precision: 10, scale: 0 },
          { name: 'active', type: 'boolean', label: 'Active' },
          { name: 'seen_at', type: 'datetime', label: 'Seen at' },
          { name: 'colour', type: 'select', label: 'Colour', options: [{ value: 'red', label: 'Red' }, { value: 'beige', label: 'Beige', active: false }] },
          { name: 'sizes', type: 'multiselect', label: 'Sizes', max_selections: 2, options: [{ value: 's', label: 'S' }, { value: 'xl', label: 'XL', active: false }] },
          { name: 'buyer', type: 'user', label: 'Buyer' },
          { name: 'extra', type: 'json', label: 'Extra' },
          { name: 'locked', type: 'text', label: 'Locked', read_only: true },
        ],
      });
      const { document: changed, text: changedText } = await server.fetchDocument();
      await validateOpenApi(changedText);
      const read = changed.components.schemas.gadget!.properties!;
      const create = changed.components.schemas.gadget_create!.properties!;
      expect(read.code).toMatchObject({ type: ['string', 'null'], maxLength: 20, description: 'Upper case', 'x-crm-help': { en: 'Upper case', 'zh-CN': '大写' } });
      expect(create.code).toMatchObject({ type: ['string', 'null'], maxLength: 20, pattern: '^[A-Z]+$' });
      expect(read.site).toMatchObject({ format: 'uri' });
      expect(create.mobile).toMatchObject({ pattern: expect.any(String) });
      expect(read.count).toMatchObject({ type: ['integer', 'null'] });
      expect(create.count).toMatchObject({ anyOf: [{ type: 'integer', minimum: 0, maximum: 10 }, { type: 'string' }, { type: 'null' }] });
      expect(read.weight).toMatchObject({ type: ['string', 'null'], pattern: '^-?\\d+$' });
      expect(read.active).toMatchObject({ type: ['boolean', 'null'] });
      expect(read.seen_at).toMatchObject({ type: ['string', 'null'], format: 'date-time' });
      expect(enumValues(read.colour!)).toEqual(['red', 'beige']);
      expect(enumValues(create.colour!)).toEqual(['red']);
      expect(read.sizes).toMatchObject({ type: ['array', 'null'], items: { enum: ['s', 'xl'] } });
      expect(create.sizes).toMatchObject({ items: { enum: ['s'] }, maxItems: 2, uniqueItems: true });
      expect(read.buyer).toMatchObject({ oneOf: [{ format: 'uuid' }, { $ref: '#/components/schemas/ExpandedUser' }, { type: 'null' }] });
      expect(read.extra).toMatchObject({ 'x-crm-type': 'json' });
      expect(read.extra!.type).toBeUndefined();
      expect(read.locked).toMatchObject({ readOnly: true });
      expect(create.locked).toBeUndefined();
      expect(changed.components.schemas.gadget_bulk_request!.properties!.upsert_field).toMatchObject({ not: {} });
    });

    it("keeps an object's name when it spells another object's derived schema (price and price_list)", async () => {
      await server.engine.objects.create(systemActor, { name: 'price', label: 'Price', fields: [{ name: 'amount', type: 'currency', label: 'Amount' }] });
      await server.engine.objects.create(systemActor, { name: 'price_list', label: 'Price list', fields: [{ name: 'title', type: 'text', label: 'Title' }] });
      const { document: changed, text: changedText } = await server.fetchDocument();
      await validateOpenApi(changedText);
      const { schemas } = changed.components;
      expect(Object.keys(schemas.price_list!.properties!)).toContain('title');
      expect(schemas.price__list).toMatchObject({ properties: { data: { items: { $ref: '#/components/schemas/price' } } } });
      expect(schemas.price_create).toBeDefined();
      expect(schemas.price_list_list).toBeDefined();
    });
  });
});
