import { existsSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { openDatabase } from './open-database';

const folders: string[] = [];
afterEach(() => folders.splice(0).forEach((folder) => rmSync(folder, { recursive: true, force: true })));

function scratch(): string {
  const folder = mkdtempSync(join(tmpdir(), 'crm-open-pglite-'));
  folders.push(folder);
  return folder;
}

// Creating a data folder happens in a child process (initdb's memory stays there); what goes wrong
// there must still reach the caller as an error naming the folder.
describe('opening a PGlite data folder', () => {
  it('says which folder could not be created when initdb fails in its child process', async () => {
    const dataDir = join(scratch(), 'data');
    mkdirSync(dataDir);
    // A file where initdb must make a directory.
    writeFileSync(join(dataDir, 'global'), 'in the way');
    await expect(openDatabase({ dataDir })).rejects.toThrow(`creating the PGlite database in ${dataDir} failed`);
    expect(existsSync(join(dataDir, 'PG_VERSION'))).toBe(false);
  });

  it('refuses a shared_buffers size it cannot use before creating anything', async () => {
    const dataDir = join(scratch(), 'data');
    await expect(openDatabase({ dataDir, pgliteSharedBuffers: 'lots' })).rejects.toThrow('PGlite shared_buffers "lots"');
    expect(existsSync(dataDir)).toBe(false);
  });
});
