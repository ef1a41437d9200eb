// Creates a PGlite database (initdb) in the data folder given as the only argument, then exits.
// open-database.ts runs this as a child process so the server never holds initdb's memory.
import { PGlite } from '@electric-sql/pglite';

const dataDir = process.argv[2];
if (!dataDir) {
  process.stderr.write('usage: pglite-initdb.mjs <data folder>\n');
  process.exit(2);
}
const pglite = await PGlite.create(dataDir);
await pglite.close();
