import { describe, expect, it } from 'vitest';
import { uniqueName, useTestServer } from '../support/test-server';

// Small chunks, so a few hundred rows make several transactions.
const server = useTestServer({ engine: { records: { importChunkRows: 50 } } });

async function importCsv(deal: string, csv: string, query = '', headers: Record<string, string> = {}) {
  const { base, token } = server();
  const response = await fetch(`${base}/api/records/${deal}/import${query}`, { method: 'POST', headers: { authorization: `Bearer ${token}`, 'content-type': 'text/csv', ...headers }, body: csv });
  return { status: response.status, ...((await response.json()) as { committed: boolean; results: { line: number; status: string; id?: string; error?: { code: string } }[]; summary: Record<string, number> }) };
}

describe('imports written a chunk of rows per transaction', () => {
  it('answers as one transaction would: every row by its line, failures where they were, all or nothing still all or nothing', async () => {
    const { api } = server();
    const deal = uniqueName('deal');
    expect((await api('POST', '/api/meta/objects', { name: deal, label: 'Deal', title_field: 'title', fields: [{ name: 'title', type: 'text', label: 'Title', required: true }, { name: 'qty', type: 'integer', label: 'Qty' }] })).status).toBe(201);
    // 120 rows (3 chunks); rows 50 and 51 straddle the first boundary and fail, as does the last.
    const rows = Array.from({ length: 120 }, (_, i) => `Deal ${i},${i === 49 || i === 50 || i === 119 ? 'many' : i}`);
    const result = await importCsv(deal, `title,qty\n${rows.join('\n')}\n`);
    expect(result.committed).toBe(true);
    expect(result.summary).toEqual({ created: 117, updated: 0, failed: 3, rows: 120 });
    expect(result.results.map((r) => r.line)).toEqual(Array.from({ length: 120 }, (_, i) => i + 2));
    expect(result.results.filter((r) => r.status === 'failed').map((r) => r.line)).toEqual([51, 52, 121]);
    expect((await api('GET', `/api/records/${deal}?count=true&limit=1`)).body.total).toBe(117);

    const atomic = await importCsv(deal, `title,qty\n${rows.join('\n')}\n`, '?all_or_nothing=true');
    expect(atomic.committed).toBe(false);
    expect(atomic.results.filter((r) => r.status === 'rolled_back')).toHaveLength(117);
    expect((await api('GET', `/api/records/${deal}?count=true&limit=1`)).body.total).toBe(117);
  });

  it('commits chunk by chunk: other requests get in between and see the rows written so far', async () => {
    const { api } = server();
    const deal = uniqueName('deal');
    expect((await api('POST', '/api/meta/objects', { name: deal, label: 'Deal', title_field: 'title', fields: [{ name: 'title', type: 'text', label: 'Title' }] })).status).toBe(201);
    const rows = 2000;
    const csv = `title\n${Array.from({ length: rows }, (_, i) => `Deal ${i}`).join('\n')}\n`;
    let done = false;
    const importing = importCsv(deal, csv).finally(() => (done = true));
    // Counted while the import runs: as one transaction, every count would be 0 (PostgreSQL) or
    // wait for the end (PGlite's one connection); chunk by chunk, some count lands in between.
    const seen: number[] = [];
    while (!done) {
      seen.push((await api('GET', `/api/records/${deal}?limit=1&count=true`)).body.total as number);
      await new Promise((resolve) => setTimeout(resolve, 10));
    }
    expect((await importing).summary.created).toBe(rows);
    expect(seen.some((total) => total > 0 && total < rows), `counts seen during the import: ${seen.join(', ')}`).toBe(true);
  });

  it('with an Idempotency-Key, a retry answers as the first run did and writes nothing again; the key names that request only', async () => {
    const { api } = server();
    const deal = uniqueName('deal');
    expect((await api('POST', '/api/meta/objects', { name: deal, label: 'Deal', title_field: 'title', fields: [{ name: 'title', type: 'text', label: 'Title', required: true }, { name: 'qty', type: 'integer', label: 'Qty' }] })).status).toBe(201);
    // More rows than a chunk, and a failing one: the key's answer holds both.
    const csv = `title,qty\n${Array.from({ length: 120 }, (_, i) => `Keyed ${i},${i === 60 ? 'many' : i}`).join('\n')}\n`;
    const key = { 'idempotency-key': uniqueName('part') };
    const first = await importCsv(deal, csv, '', key);
    expect(first.summary).toEqual({ created: 119, updated: 0, failed: 1, rows: 120 });
    const again = await importCsv(deal, csv, '', key);
    expect(again).toEqual(first);
    expect((await api('GET', `/api/records/${deal}?count=true&limit=1`)).body.total).toBe(119);
    // Audited with its rows, once: the retry answered from the key is not a second import.
    const audited = async () => ((await api('GET', `/api/audit?event=import&subject=${deal}`)).body.data as unknown[]).length;
    expect(await audited()).toBe(1);

    // The same key for another file, or the same file with other settings, is refused and writes nothing.
    const reused = await importCsv(deal, 'title,qty\nOther,1\n', '', key);
    expect(reused.status).toBe(422);
    expect((reused as unknown as { error: { code: string } }).error.code).toBe('idempotency_key_reused');
    expect((await importCsv(deal, csv, '?all_or_nothing=true', key)).status).toBe(422);
    expect((await api('GET', `/api/records/${deal}?count=true&limit=1`)).body.total).toBe(119);

    // All or nothing under a key: rolled back, so the key is not kept and a fixed retry runs.
    const atomicKey = { 'idempotency-key': uniqueName('atomic') };
    expect((await importCsv(deal, 'title,qty\nA,1\n', '?all_or_nothing=true', atomicKey)).committed).toBe(true);
    const badKey = { 'idempotency-key': uniqueName('bad') };
    const bad = await importCsv(deal, 'title,qty\nB,1\nC,many\n', '?all_or_nothing=true', badKey);
    expect(bad.committed).toBe(false);
    // A rolled-back import is audited too (it kept no key).
    expect(await audited()).toBe(3);
    // Nothing was kept under its key: the fixed file runs with it.
    expect((await importCsv(deal, 'title,qty\nB,1\nC,2\n', '?all_or_nothing=true', badKey)).summary.created).toBe(2);
    expect((await api('GET', `/api/records/${deal}?count=true&limit=1`)).body.total).toBe(122);
  });
});
