import pg from 'pg';

/**
 * Server-side prepared statements for the record statements the API runs most. Their SQL text is
 * registered once per shape and metadata revision (records/prepared.ts); a pg client asked to run
 * a registered text runs it by name instead, so PostgreSQL parses and plans it once per
 * connection rather than on every call. Names are never reused for another text: a new revision
 * registers new names, so a statement planned before a schema change is not used after it.
 */
const names = new Map<string, string>();
let sequence = 0;
const MAX_REGISTERED = 10_000;

export function registerNamedStatement(sqlText: string): void {
  if (names.size >= MAX_REGISTERED) names.clear();
  sequence += 1;
  names.set(sqlText, `crm_${sequence.toString(36)}`);
}

type Query = pg.Client['query'];

/** Makes a pooled client run registered texts as named statements. */
export function useNamedStatements(client: pg.PoolClient): void {
  const query = client.query.bind(client) as (...args: unknown[]) => unknown;
  (client as unknown as { query: Query }).query = ((text: unknown, values?: unknown, callback?: unknown) => {
    if (typeof text === 'string' && Array.isArray(values) && callback === undefined) {
      const name = names.get(text);
      if (name) return new Promise((resolve, reject) => query(namedQuery(name, text, values, (error, result) => (error ? reject(error) : resolve(result)))));
    }
    return callback === undefined ? (values === undefined ? query(text) : query(text, values)) : query(text, values, callback);
  }) as Query;
}

/**
 * A registered text as a named query object. Built from the text rather than handed over as a
 * `{name, text, values}` config: pg copies a config object through its property descriptors on
 * every call, which costs about as much as the rest of pg's own work on a record read.
 */
function namedQuery(name: string, text: string, values: unknown[], done: (error: Error | undefined, result: unknown) => void): pg.Query {
  const query = new pg.Query(text, values, done);
  (query as unknown as { name: string }).name = name;
  return query;
}
