import type { RuleScope, RuleVariable, ValueKind } from '../rules/scope';
import type { CompiledField } from './compiled';
import { computationOf } from '../field-types';

/** Who and when a rule runs for: the values behind `$user.*`, `$now` and `$today`. */
export interface RuleContext {
  readonly user: { readonly id: string; readonly departmentId?: string | null; readonly roles?: readonly string[] };
  readonly now: Date;
}

const CONTEXT_KINDS: Readonly<Record<string, ValueKind>> = Object.freeze({
  '$user.id': 'uuid',
  '$user.department': 'uuid',
  '$user.roles': 'string_array',
  $now: 'datetime',
  $today: 'date',
});

export function contextValue(path: string, context: RuleContext): unknown {
  switch (path) {
    case '$user.id':
      return context.user.id;
    case '$user.department':
      return context.user.departmentId ?? null;
    case '$user.roles':
      // Like every string_array value: an empty list is null.
      return context.user.roles?.length ? [...context.user.roles] : null;
    case '$now':
      return context.now.toISOString();
    case '$today':
      return context.now.toISOString().slice(0, 10);
    default:
      return undefined;
  }
}

/** The context as compiled rules read it: `{"var": "$user.id"}` walks `$user` then `id`. */
export function contextData(context: RuleContext): Record<string, unknown> {
  return {
    $user: { id: context.user.id, department: contextValue('$user.department', context), roles: contextValue('$user.roles', context) },
    $now: contextValue('$now', context),
    $today: contextValue('$today', context),
  };
}

export interface ScopeOptions {
  /** A field the rule may not read (a formula may not read itself). */
  readonly exclude?: string;
  /** Fields the caller may not see: to a rule they do not exist. */
  readonly hidden?: ReadonlySet<string>;
  /** Bind `$user`, `$now`, `$today` to values (needed to run the rule as SQL). */
  readonly context?: RuleContext;
  /** Whether `$user`, `$now`, `$today` may be used at all. */
  readonly allowContext?: boolean;
}

export function fieldsScope(fields: ReadonlyMap<string, CompiledField>, options: ScopeOptions = {}): RuleScope {
  const allowContext = options.allowContext ?? true;
  return {
    resolve(path: string): RuleVariable | undefined {
      if (path.startsWith('$')) {
        const kind = allowContext ? CONTEXT_KINDS[path] : undefined;
        if (!kind) return undefined;
        return options.context ? { kind, sql: { value: contextValue(path, options.context) } } : { kind };
      }
      if (path === options.exclude || options.hidden?.has(path)) return undefined;
      const field = fields.get(path);
      if (!field) return undefined;
      if (field.column) return { kind: field.kind, sql: { column: field.column } };
      const computation = computationOf(field.definition);
      if (computation?.kind === 'expression') return { kind: field.kind, sql: { rule: computation.expression } };
      return { kind: field.kind };
    },
  };
}

/** Every `var` path a rule reads (literal paths only; validation refuses the others). */
export function ruleReads(rule: unknown): string[] {
  const found = new Set<string>();
  const visit = (node: unknown): void => {
    if (Array.isArray(node)) {
      node.forEach(visit);
      return;
    }
    if (node === null || typeof node !== 'object') return;
    const entries = Object.entries(node as Record<string, unknown>);
    if (entries.length !== 1) return;
    const [op, args] = entries[0]!;
    if (op === 'var') {
      const path = Array.isArray(args) ? args[0] : args;
      if (typeof path === 'string' && path !== '') found.add(path.split('.')[0]!);
      if (Array.isArray(args)) args.slice(1).forEach(visit);
      return;
    }
    if (op === 'missing' || op === 'missing_some') {
      const names = op === 'missing' ? args : Array.isArray(args) ? args[1] : undefined;
      for (const name of Array.isArray(names) ? names : [names]) if (typeof name === 'string') found.add(name.split('.')[0]!);
    }
    // Inside array operations the inner logic reads the item, not the record.
    if (['map', 'filter', 'reduce', 'all', 'some', 'none'].includes(op) && Array.isArray(args)) {
      visit(args[0]);
      if (op === 'reduce') visit(args[2]);
      return;
    }
    visit(args);
  };
  visit(rule);
  return [...found];
}
