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

  it('refuses every form of field-type comparison outside the field types, and leaves other `type`s alone', async () => {
    const refused = [
      "export const f = (def: { type: string }) => def.type === 'lookup';",
      "export const f = (definition: { type: string }) => definition.type !== 'rollup';",
      "export const f = (cdef: { type: string }) => 'select' === cdef.type;",
      "export const f = (fieldDef: { type: string }) => fieldDef.type === 'master_detail';",
      "export const f = (field?: { definition: { type: string } }) => field?.definition.type === 'user';",
      "export const f = (o: { fields: Map<string, { definition: { type: string } }> }) => o.fields.get('x')?.definition.type === 'date';",
      "export const f = (field: { definition: { type: string } }) => { const type = field.definition.type; return type === 'formula'; };",
      "export const f = (field: { definition: { type: string } }) => ['lookup', 'master_detail'].includes(field.definition.type);",
      "const TITLE = new Set(['text']);\nexport const f = (def: { type: string }) => TITLE.has(def.type);",
      "export function f(def: { type: string }) { switch (def.type) { case 'formula': return 1; default: return 2; } }",
    ];
    for (const code of refused) {
      for (const path of ['engine/src/records/new-module.ts', 'engine/src/workflows/new-module.ts', 'server/src/openapi/new-module.ts', 'studio/src/objects/new-module.tsx']) {
        expect(await problems(path, `${code}\n`), `${path}: ${code}`).toEqual([expect.stringContaining('no-restricted-syntax')]);
      }
      expect(await problems('engine/src/field-types/text/new-module.ts', `${code}\n`), code).toEqual([]);
    }
    const allowed = [
      // Not field types: workflow triggers, approvers, layouts, a comparison of two types, a type's own name.
      "export const f = (trigger: { type: string }) => trigger.type === 'date';",
      "export const f = (a: { type: string }) => a.type === 'user';",
      "export const f = (layout: { type: string }) => layout.type === 'detail';",
      "export const f = (was: { definition: { type: string } }, now: { definition: { type: string } }) => was.definition.type !== now.definition.type;",
      "export const f = (def: { type: string }) => def.type === 'detail';",
    ];
    for (const code of allowed) expect(await problems('engine/src/records/new-module.ts', `${code}\n`), code).toEqual([]);
  });

  it('exempts no file outside the field types: other registries may switch on their own type, never compare a field type', async () => {
    const compare = "export const f = (field: { definition: { type: string } }) => field.definition.type !== 'user';\n";
    expect(await problems('engine/src/field-types/user/index.ts', compare)).toEqual([]);
    for (const path of [
      'engine/src/approvals/check-process.ts',
      'engine/src/approvals/resolve-approvers.ts',
      'engine/src/workflows/actions/update-record.ts',
      'engine/src/rules/scope.ts',
      'engine/src/metadata/compile.ts',
      'engine/src/records/expand.ts',
      'engine/src/core/record-input.ts',
    ]) {
      expect(await problems(path, compare), path).toEqual([expect.stringContaining('capability')]);
    }
    const switchOnAction = "export const f = (action: { type: string }) => { switch (action.type) { default: return 1; } };\n";
    expect(await problems('engine/src/workflows/actions/registry.ts', switchOnAction)).toEqual([]);
    expect(await problems('engine/src/workflows/run-workflow.ts', switchOnAction)).toEqual([expect.stringContaining('registry')]);
  });

  it('refuses eval-like code and `any`', async () => {
    expect(await problems('engine/src/rules/new-module.ts', "export const f = new Function('return 1');\n")).toEqual([expect.stringContaining('no-new-func')]);
    expect(await problems('engine/src/records/new-module.ts', 'export const v: any = 1;\n')).toEqual([expect.stringContaining('no-explicit-any')]);
  });
});
