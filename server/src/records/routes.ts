import { Readable } from 'node:stream';
import { CrmError, type Engine } from '@crm/engine';
import type { FastifyPluginAsync } from 'fastify';
import { expectedVersion, setETag } from '../http/etag';
import { idempotencyOf } from '../http/idempotency';
import { charsetRefusal } from '../http/body-parsers';
import { hasNoQuery, QueryReader } from '../http/query';
import { actorOf } from '../http/request-context';

const IMPORT_BODY = 'a UTF-8 CSV (text/csv) or NDJSON (application/x-ndjson) file';

interface ObjectParams {
  object: string;
}
interface RecordParams extends ObjectParams {
  id: string;
}

/**
 * The record API, generated from metadata at request time: `:object` is looked up in the
 * current compiled metadata on every request, so an object or field added a moment ago is
 * usable at once, with no route to register or restart.
 */
export const recordRoutes: FastifyPluginAsync<{ engine: Engine }> = async (app, { engine }) => {
  const records = engine.records;

  app.get<{ Params: ObjectParams }>('/:object', async (request) => {
    const query = new QueryReader(request.query);
    const options = {
      filter: query.json('filter'),
      sort: query.string('sort'),
      limit: query.integer('limit'),
      cursor: query.string('cursor'),
      fields: query.list('fields'),
      search: query.string('q'),
      expand: query.list('expand'),
      count: query.boolean('count'),
      deleted: query.boolean('deleted'),
    };
    query.done();
    return records.list(actorOf(request), request.params.object, definedOnly(options));
  });

  app.post<{ Params: ObjectParams }>('/:object', async (request, reply) => {
    if (!hasNoQuery(request.query)) new QueryReader(request.query).done();
    const idempotency = idempotencyOf(request);
    const record = await records.create(actorOf(request), request.params.object, request.body, idempotency ? { idempotency } : {});
    setETag(reply, record);
    reply.header('location', `/api/records/${request.params.object}/${String(record.id)}`);
    return reply.status(201).send(record);
  });

  // Exports stream as they are read; the engine applies the caller's scope and hidden fields.
  app.get<{ Params: ObjectParams }>('/:object/export', async (request, reply) => {
    const query = new QueryReader(request.query);
    const format = query.string('format') ?? 'csv';
    const options = { format: format as 'csv' | 'ndjson', filter: query.json('filter'), sort: query.string('sort'), fields: query.list('fields') };
    query.done();
    const lines = engine.records.export(actorOf(request), request.params.object, definedOnly(options));
    // The first chunk is awaited before answering, so a refusal (403, 400) is still an error response.
    const first = await lines.next();
    const stream = Readable.from((async function* () {
      if (!first.done) yield first.value;
      yield* lines;
    })());
    reply.header('content-type', format === 'ndjson' ? 'application/x-ndjson; charset=utf-8' : 'text/csv; charset=utf-8');
    reply.header('content-disposition', `attachment; filename="${request.params.object}.${format === 'ndjson' ? 'ndjson' : 'csv'}"`);
    return reply.send(stream);
  });

  app.post<{ Params: ObjectParams }>('/:object/transfer', async (request) => {
    if (!hasNoQuery(request.query)) new QueryReader(request.query).done();
    const body = (request.body ?? {}) as { ids?: unknown; owner_id?: unknown };
    return records.transfer(actorOf(request), request.params.object, body.ids, body.owner_id);
  });

  app.get<{ Params: RecordParams }>('/:object/:id/history', async (request) => {
    if (!hasNoQuery(request.query)) new QueryReader(request.query).done();
    return { data: await records.history(actorOf(request), request.params.object, request.params.id) };
  });

  app.get<{ Params: RecordParams }>('/:object/:id/shares', async (request) => {
    if (!hasNoQuery(request.query)) new QueryReader(request.query).done();
    return { data: await engine.shares.list(actorOf(request), request.params.object, request.params.id) };
  });
  app.post<{ Params: RecordParams }>('/:object/:id/shares', async (request, reply) => {
    if (!hasNoQuery(request.query)) new QueryReader(request.query).done();
    return reply.status(201).send(await engine.shares.grant(actorOf(request), request.params.object, request.params.id, request.body));
  });
  app.delete<{ Params: RecordParams & { share: string } }>('/:object/:id/shares/:share', async (request, reply) => {
    if (!hasNoQuery(request.query)) new QueryReader(request.query).done();
    await engine.shares.revoke(actorOf(request), request.params.object, request.params.id, request.params.share);
    return reply.status(204).send();
  });

  app.post<{ Params: ObjectParams }>('/:object/bulk', async (request) => {
    new QueryReader(request.query).done();
    const idempotency = idempotencyOf(request);
    const result = await records.bulk(actorOf(request), request.params.object, request.body, idempotency ? { idempotency } : {});
    return {
      committed: result.committed,
      results: result.results.map((r) => (r.error ? { ...r, error: r.error.toBody(request.locale).error } : r)),
      summary: result.summary,
    };
  });

  // Imports take the file itself as the body, CSV or NDJSON: only this route reads those types.
  await app.register(async (files) => {
    for (const type of ['text/csv', 'application/x-ndjson']) {
      files.addContentTypeParser(type, { parseAs: 'string' }, (request, body, done) => done(charsetRefusal(request, IMPORT_BODY) ?? null, body));
    }
    files.post<{ Params: ObjectParams; Body: string }>('/:object/import', async (request) => {
      const query = new QueryReader(request.query);
      const mode = query.string('mode');
      const upsertField = query.string('upsert_field');
      const allOrNothing = query.boolean('all_or_nothing');
      query.done();
      const type = String(request.headers['content-type'] ?? '').split(';')[0]!.trim().toLowerCase();
      if (typeof request.body !== 'string' || (type !== 'text/csv' && type !== 'application/x-ndjson')) throw new CrmError('unsupported_media_type', { expected: IMPORT_BODY });
      const result = await records.import(actorOf(request), request.params.object, {
        format: type === 'text/csv' ? 'csv' : 'ndjson',
        data: request.body,
        ...(mode !== undefined ? { mode: mode as 'create' | 'upsert' } : {}),
        ...(upsertField !== undefined ? { upsert_field: upsertField } : {}),
        ...(allOrNothing !== undefined ? { all_or_nothing: allOrNothing } : {}),
      });
      return {
        committed: result.committed,
        results: result.results.map((r) => (r.error ? { ...r, error: r.error.toBody(request.locale).error } : r)),
        summary: result.summary,
      };
    });
  });

  app.get<{ Params: RecordParams }>('/:object/:id', async (request, reply) => {
    if (hasNoQuery(request.query)) {
      const record = await records.get(actorOf(request), request.params.object, request.params.id);
      setETag(reply, record);
      return record;
    }
    const query = new QueryReader(request.query);
    const fields = query.list('fields');
    const expand = query.list('expand');
    query.done();
    // The ETag needs the version even when the caller did not ask for it.
    const withVersion = fields && !fields.includes('version') ? [...fields, 'version'] : fields;
    const record = await records.get(actorOf(request), request.params.object, request.params.id, definedOnly({ fields: withVersion, expand }));
    setETag(reply, record);
    if (withVersion !== fields) delete record.version;
    return record;
  });

  app.patch<{ Params: RecordParams }>('/:object/:id', async (request, reply) => {
    if (!hasNoQuery(request.query)) new QueryReader(request.query).done();
    const version = expectedVersion(request);
    const record = await records.update(actorOf(request), request.params.object, request.params.id, request.body, version === undefined ? {} : { expectedVersion: version });
    setETag(reply, record);
    return record;
  });

  app.delete<{ Params: RecordParams }>('/:object/:id', async (request, reply) => {
    const query = new QueryReader(request.query);
    const purge = query.boolean('purge');
    query.done();
    if (purge) {
      await records.purge(actorOf(request), request.params.object, request.params.id);
      return reply.status(204).send();
    }
    const version = expectedVersion(request);
    const record = await records.delete(actorOf(request), request.params.object, request.params.id, version === undefined ? {} : { expectedVersion: version });
    setETag(reply, record);
    return record;
  });

  app.post<{ Params: RecordParams }>('/:object/:id/restore', async (request, reply) => {
    new QueryReader(request.query).done();
    const record = await records.restore(actorOf(request), request.params.object, request.params.id);
    setETag(reply, record);
    return record;
  });
};

function definedOnly<T extends Record<string, unknown>>(options: T): { [K in keyof T]: Exclude<T[K], undefined> } {
  return Object.fromEntries(Object.entries(options).filter(([, v]) => v !== undefined)) as { [K in keyof T]: Exclude<T[K], undefined> };
}
