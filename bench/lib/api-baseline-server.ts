/**
 * The hand-written server of `pnpm bench api` in its own process (PostgreSQL only): plain Fastify
 * and a pg pool of the same size as the product's, on the database the product's server filled.
 * Reads BENCH_DATABASE_URL and BENCH_ACTOR_ID; prints one JSON line when ready.
 */
import type { AddressInfo } from 'node:net';
import Fastify from 'fastify';
import pg from 'pg';
import { BENCH_POOL_SIZE, handWrittenRoutes, type Row } from './hand-written';

const pool = new pg.Pool({ connectionString: process.env.BENCH_DATABASE_URL, max: BENCH_POOL_SIZE });
const app = Fastify();
handWrittenRoutes(app, async (text, values) => (await pool.query(text, values)).rows as Row[], process.env.BENCH_ACTOR_ID!);
await app.listen({ port: 0, host: '127.0.0.1' });
console.log(JSON.stringify({ ready: true, port: (app.server.address() as AddressInfo).port }));

const stop = async () => {
  await app.close();
  await pool.end();
  process.exit(0);
};
process.on('SIGTERM', () => void stop());
process.on('SIGINT', () => void stop());
