// Architecture rules, enforced in `pnpm test` (see README "Architecture"). Syntax-only (no type
// information) so the whole repository lints in seconds.
import tseslint from 'typescript-eslint';

/** Files allowed to branch on a `type` string: the registries that own those types. */
const typeRegistries = ['engine/src/field-types/**', 'engine/src/workflows/actions/**', 'engine/src/rules/**'];

/**
 * Files that still compare a field definition's `type` string instead of asking the field type for a
 * capability (issue 12, section 3). The list only shrinks: a new comparison anywhere else fails.
 */
const notYetOnCapabilities = [
  'engine/src/metadata/rule-scope.ts',
  'engine/src/metadata/dependencies.ts',
  'engine/src/metadata/compile.ts',
  'engine/src/core/input-object.ts',
  'engine/src/core/check-record-input.ts',
  'engine/src/metadata/validate-graph.ts',
  'engine/src/records/expand.ts',
  'engine/src/records/record-writes.ts',
  'engine/src/core/record-input.ts',
  'engine/src/core/rule-scope.ts',
  'engine/src/fields/check-fields.ts',
  'engine/src/views/check-view.ts',
  'engine/src/records/import.ts',
  'engine/src/records/visible-rollups.ts',
  'engine/src/records/write-create.ts',
  'engine/src/workflows/check-workflow.ts',
  'engine/src/workflows/schedules.ts',
  'engine/src/workflows/deliveries.ts',
  'engine/src/workflows/plan-create.ts',
  'engine/src/workflows/actions.ts',
  'engine/src/workflows/workflow-references.ts',
  'engine/src/approvals/check-process.ts',
  'engine/src/approvals/resolve-approvers.ts',
  'engine/src/fields/field-service.ts',
  'engine/src/security/actor-access.ts',
  'server/src/openapi/record-schemas.ts',
];

const compareFieldType = {
  selector: "BinaryExpression[operator=/^[!=]==$/][left.type='MemberExpression'][left.property.name='type'][left.object.property.name='definition']",
  message: 'Do not compare a field definition\'s `type` outside engine/src/field-types: give the field type a capability (reference kind, computed kind, initial value, storage...) and ask for it.',
};

const switchOnType = {
  selector: "SwitchStatement[discriminant.type='MemberExpression'][discriminant.property.name='type']",
  message: 'Do not switch on a `type` string outside its registry: add a capability to the field type (engine/src/field-types) or the workflow action (engine/src/workflows/actions) instead.',
};

const engineOnlyCore = {
  // One expression, because gitignore-style groups cannot re-include @crm/engine/core under @crm/engine.
  regex: '^(@crm/(engine(?!/core$)|server|migrations)|pg|kysely)(/|$)|(^|/)(engine|server)/src/',
  message: 'The UIs import `@crm/engine/core` only (browser-safe), never server or database code; they talk to the server over HTTP.',
};

export default tseslint.config(
  { ignores: ['**/node_modules/**', '**/dist/**', 'bench/results/**', '**/*.d.ts'] },
  {
    files: ['**/*.ts', '**/*.tsx', '**/*.mjs', '**/*.js'],
    languageOptions: { parser: tseslint.parser, ecmaVersion: 'latest', sourceType: 'module' },
    plugins: { '@typescript-eslint': tseslint.plugin },
    linterOptions: { reportUnusedDisableDirectives: 'error' },
    rules: {
      '@typescript-eslint/no-explicit-any': 'error',
      '@typescript-eslint/no-empty-object-type': ['error', { allowInterfaces: 'never' }],
      'no-debugger': 'error',
      'no-control-regex': 'error',
      'require-yield': 'error',
      'no-eval': 'error',
      'no-implied-eval': 'error',
      'no-new-func': 'error',
    },
  },
  {
    files: ['engine/**/*.ts', 'migrations/**/*.ts', 'templates/**/*.ts'],
    rules: {
      'no-restricted-imports': ['error', { patterns: [{ group: ['@crm/server', '@crm/server/*', '**/server/src/**'], message: 'The engine knows nothing of the server (HTTP).' }] }],
    },
  },
  {
    files: ['studio/**/*.{ts,tsx}', 'runtime-ui/**/*.{ts,tsx}'],
    rules: { 'no-restricted-imports': ['error', { patterns: [engineOnlyCore] }] },
  },
  {
    files: ['engine/src/**/*.ts', 'server/src/**/*.ts', 'studio/src/**/*.{ts,tsx}', 'runtime-ui/src/**/*.{ts,tsx}'],
    ignores: [...typeRegistries, ...notYetOnCapabilities, '**/*.test.ts'],
    rules: { 'no-restricted-syntax': ['error', switchOnType, compareFieldType] },
  },
);
