// Template packages are data (template.json); this only tells where they are.
import { readFileSync, readdirSync, existsSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

export const templatesDir = dirname(fileURLToPath(import.meta.url));

/** Names of the shipped templates (folders holding a template.json). */
export function templateNames() {
  return readdirSync(templatesDir, { withFileTypes: true })
    .filter((entry) => entry.isDirectory() && existsSync(join(templatesDir, entry.name, 'template.json')))
    .map((entry) => entry.name)
    .sort();
}

/** The parsed template.json of a shipped template. */
export function readTemplate(name) {
  if (!templateNames().includes(name)) throw new Error(`no template named ${name}`);
  return JSON.parse(readFileSync(join(templatesDir, name, 'template.json'), 'utf8'));
}
