import { ESLint } from 'eslint';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';

/**
 * The architecture rules in eslint.config.js, checked against small snippets placed (virtually)
 * where they would live, so a rule that stops matching fails here rather than silently.
 */
const root = fileURLToPath(new URL('../..', import.meta.url));
const eslint = new ESLint({ cwd: root });

async function problems(path: string, code: string): Promise<string[]> {
  const [result] = await eslint.lintText(code, { filePath: `${root}${path}` });
  return result!.messages.map((m) => `${m.ruleId ?? 'parse'}: ${m.message}`);
}

describe('architecture lint rules', () => {
  it('lets the UIs import @crm/engine/core and nothing else of the engine or server', async () => {
    expect(await problems('runtime-ui/src/records/form.tsx', "import { FIELD_TYPES } from '@crm/engine/core';\nexport const t = FIELD_TYPES;\n")).toEqual([]);
    for (const source of ['@crm/engine', '@crm/engine/testing', '@crm/server', 'kysely', 'pg', '../../../engine/src/records/record-service']) {
      const found = await problems('studio/src/objects/designer.tsx', `import x from '${source}';\nexport const y = x;\n`);
      expect(found, source).toEqual([expect.stringContaining('no-restricted-imports')]);
    }
  });

  it('keeps the engine from importing the server', async () => {
    expect(await problems('engine/src/records/list.ts', "import { buildApp } from '../../../server/src/app';\nexport const a = buildApp;\n")).toEqual([
      expect.stringContaining('no-restricted-imports'),
    ]);
    expect(await problems('engine/src/records/list.ts', "import { buildApp } from '@crm/server';\nexport const a = buildApp;\n")).toHaveLength(1);
  });

  it('refuses a switch on a type string or a field-type comparison outside the registries', async () => {
    const switchSource = "export function f(field: { type: string }) { switch (field.type) { case 'a': return 1; default: return 2; } }\n";
    expect(await problems('engine/src/records/new-module.ts', switchSource)).toEqual([expect.stringContaining('registry')]);
    expect(await problems('engine/src/field-types/text/new-module.ts', switchSource)).toEqual([]);
    const compare = "export const isLookup = (f: { definition: { type: string } }) => f.definition.type === 'lookup';\n";
    expect(await problems('server/src/records/new-module.ts', compare)).toEqual([expect.stringContaining('capability')]);
  });

  it('refuses eval-like code and `any`', async () => {
    expect(await problems('engine/src/rules/new-module.ts', "export const f = new Function('return 1');\n")).toEqual([expect.stringContaining('no-new-func')]);
    expect(await problems('engine/src/records/new-module.ts', 'export const v: any = 1;\n')).toEqual([expect.stringContaining('no-explicit-any')]);
  });
});
