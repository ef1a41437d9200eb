// Architecture rules, enforced in `pnpm test` (see README "Architecture"). Syntax-only (no type
// information) so the whole repository lints in seconds.
import tseslint from 'typescript-eslint';

/** The only files that may compare a field definition's `type`: the field types themselves. */
const fieldTypeOwners = [
  'engine/src/field-types/**',
  // The type-conversion matrix: what converting a column from one type to another does is a fact
  // about the pair (text -> integer casts and counts the rows that fail), not of either type alone.
  'engine/src/schema-sync/conversions.ts',
];

/** Registries of other types, which may switch on their own `type` (but still not on a field's). */
const otherTypeRegistries = [
  'engine/src/workflows/actions/**',
  'engine/src/rules/**',
  // Where approver kinds (user, field, role, manager) are resolved: the approvers' registry.
  'engine/src/approvals/resolve-approvers.ts',
];

/** The field types by name (documents/types.ts FIELD_TYPES, which this config cannot import). */
const FIELD_TYPE_NAMES =
  'text|textarea|email|phone|url|integer|decimal|currency|percent|boolean|date|datetime|select|multiselect|lookup|master_detail|user|autonumber|formula|rollup|json';

/**
 * A field definition's `type`: `x.definition.type` (also `x?.definition.type`), or `.type` of a
 * variable that holds a definition by its name (`def`, `cdef`, `definition`, `relation`,
 * `fieldDef`...). Trigger, approver, view and layout types are other objects and stay allowed.
 */
const fieldTypeMembers = (path) => [
  `[${path}.type='MemberExpression'][${path}.property.name='type'][${path}.object.property.name='definition']`,
  `[${path}.type='MemberExpression'][${path}.property.name='type'][${path}.object.name=/^(c?def|definition|relation)$|(Def|Definition)$/]`,
  `[${path}.type='ChainExpression'][${path}.expression.property.name='type'][${path}.expression.object.property.name='definition']`,
  `[${path}.type='ChainExpression'][${path}.expression.property.name='type'][${path}.expression.object.name=/^(c?def|definition|relation)$|(Def|Definition)$/]`,
];

const fieldTypeLiteral = (path) => `[${path}.type='Literal'][${path}.value=/^(${FIELD_TYPE_NAMES})$/]`;

const compareFieldType = {
  selector: [
    // def.type === 'lookup', 'rollup' !== field.definition.type
    ...fieldTypeMembers('left').map((member) => `BinaryExpression[operator=/^[!=]==$/]${member}${fieldTypeLiteral('right')}`),
    ...fieldTypeMembers('right').map((member) => `BinaryExpression[operator=/^[!=]==$/]${member}${fieldTypeLiteral('left')}`),
    // const type = def.type; ... type === 'formula'
    `BinaryExpression[operator=/^[!=]==$/][left.type='Identifier'][left.name='type']${fieldTypeLiteral('right')}`,
    // ['lookup', 'master_detail'].includes(def.type), REFERENCE_TYPES.has(field.definition.type)
    ...fieldTypeMembers('arguments.0').map((member) => `CallExpression[callee.property.name=/^(includes|has)$/]${member}`),
  ].join(', '),
  message: 'Do not compare a field definition\'s `type` outside engine/src/field-types: give the field type a capability (reference kind, computed kind, initial value, storage...) and ask for it.',
};

const switchOnType = {
  selector:
    "SwitchStatement[discriminant.type='MemberExpression'][discriminant.property.name='type'], SwitchStatement[discriminant.type='ChainExpression'][discriminant.expression.property.name='type']",
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
    ignores: [...fieldTypeOwners, ...otherTypeRegistries, '**/*.test.ts'],
    rules: { 'no-restricted-syntax': ['error', switchOnType, compareFieldType] },
  },
  {
    files: otherTypeRegistries,
    ignores: ['**/*.test.ts'],
    rules: { 'no-restricted-syntax': ['error', compareFieldType] },
  },
);
