import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import ts from 'typescript';
import { describe, expect, it } from 'vitest';
import { RUNTIME_UI_DIR } from '../e2e/support/ui-build';

/**
 * The build step's module, loaded by its path: it is type-checked with runtime-ui (React and the
 * DOM's types), which this package's type check leaves out.
 */
const { antdStyles, STYLELESS, usedComponents } = (await import(pathToFileURL(join(RUNTIME_UI_DIR, 'build', 'antd-styles.ts')).href)) as {
  antdStyles(): string;
  readonly STYLELESS: readonly string[];
  usedComponents(): Record<string, unknown>;
};

/** Every value (not type) the runtime UI imports from 'antd', by name. */
function antdImports(dir: string): Set<string> {
  const names = new Set<string>();
  for (const entry of readdirSync(dir, { withFileTypes: true, recursive: true })) {
    if (!entry.isFile() || !/\.tsx?$/.test(entry.name)) continue;
    const path = join(entry.parentPath, entry.name);
    const source = ts.createSourceFile(path, readFileSync(path, 'utf8'), ts.ScriptTarget.Latest);
    for (const statement of source.statements) {
      if (!ts.isImportDeclaration(statement) || !ts.isStringLiteral(statement.moduleSpecifier) || statement.moduleSpecifier.text !== 'antd') continue;
      const clause = statement.importClause;
      if (!clause || clause.isTypeOnly) continue;
      if (clause.name || (clause.namedBindings && ts.isNamespaceImport(clause.namedBindings))) names.add('*');
      if (clause.namedBindings && ts.isNamedImports(clause.namedBindings)) {
        for (const element of clause.namedBindings.elements) if (!element.isTypeOnly) names.add((element.propertyName ?? element.name).text);
      }
    }
  }
  return names;
}

/**
 * The app runs antd with zeroRuntime: a component's rules exist only if build/antd-styles.ts
 * renders it when it makes the style sheet. An antd component imported without being listed
 * there would show unstyled.
 */
describe('antd style sheet (runtime-ui/build/antd-styles.ts)', () => {
  it('covers every antd component the runtime UI imports', () => {
    const covered = new Set<string>([...Object.keys(usedComponents()), ...STYLELESS]);
    const missing = [...antdImports(join(RUNTIME_UI_DIR, 'src'))].filter((name) => !covered.has(name));
    expect(missing).toEqual([]);
  });

  it("holds the rules of those components and their parts shown in use, not antd's whole sheet", () => {
    const css = antdStyles();
    for (const selector of ['.ant-btn{', '.ant-select-dropdown', '.ant-picker-dropdown', '.ant-modal-confirm', '.ant-message', '.ant-tag-blue', '.ant-empty', '.ant-dropdown-menu', '.ant-col-12', '.ant-timeline', '.ant-drawer']) {
      expect(css, selector).toContain(selector);
    }
    // Components the app does not use stay out.
    for (const selector of ['.ant-upload', '.ant-cascader', '.ant-color-picker', '.ant-tour']) expect(css, selector).not.toContain(selector);
    // Plain selectors, as in antd.css: no hash to match.
    expect(css).not.toMatch(/:where\(\.css-/);
  });
});
