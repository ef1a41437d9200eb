import { mapRuleVarPaths } from '../../rules/var-paths';
import type { CompiledField, CompiledObject } from '../../metadata/compiled';
import type { SortSpec } from '../../metadata/types';

/**
 * A saved view names fields by id, not by name, in the database: an analyst's rename then needs
 * no rewrite of every user's views (metadata views follow renames by rewriting, view-references.ts;
 * personal views are too many to rewrite in a field change's transaction), and a deleted field's
 * id simply stops resolving. System fields have no id and never change name: they stay names.
 */
const ID_PREFIX = '#';

export interface StoredDefinition {
  readonly view?: string;
  readonly columns: readonly string[];
  readonly sort?: readonly SortSpec[];
  readonly filter?: unknown;
  readonly q?: string;
  readonly filter_builder?: unknown;
}

export function fieldRef(field: CompiledField): string {
  return field.id ? `${ID_PREFIX}${field.id}` : field.name;
}

/** Field name -> stored reference, for a definition already checked against the object. */
export function refsOf(object: CompiledObject): (name: string) => string {
  return (name) => {
    const field = object.fieldsByName.get(name);
    return field ? fieldRef(field) : name;
  };
}

/** Stored reference -> the field, while it exists and the reader may see it. */
export function namesOf(object: CompiledObject, hidden: ReadonlySet<string>): (ref: string) => string | undefined {
  const byId = new Map(object.fields.filter((f) => f.id).map((f) => [f.id!, f]));
  return (ref) => {
    const field = ref.startsWith(ID_PREFIX) ? byId.get(ref.slice(ID_PREFIX.length)) : object.fieldsByName.get(ref);
    return field && !hidden.has(field.name) ? field.name : undefined;
  };
}

/** A rule's record `var` paths (not `$user`, `$today`...) through `map`; undefined when one does not map. */
export function mapFilterFields(rule: unknown, map: (name: string) => string | undefined): { rule: unknown; complete: boolean } {
  let complete = true;
  const mapped = mapRuleVarPaths(rule, (path) => {
    if (path.startsWith('$') || path === '') return path;
    const name = map(path);
    if (name === undefined) complete = false;
    return name ?? path;
  });
  return { rule: mapped, complete };
}
