import { CrmError, reason } from '../errors';
import type { CompiledField, CompiledObject } from '../metadata/compiled';
import type { SortSpec } from '../metadata/types';

export interface SortKey {
  readonly field: CompiledField;
  readonly column: string;
  readonly direction: 'asc' | 'desc';
}

/** `-amount,name` -> [{field: amount, direction: desc}, {field: name}] */
export function parseSort(sort: string | readonly SortSpec[] | undefined): SortSpec[] {
  if (sort === undefined) return [];
  if (typeof sort !== 'string') return [...sort];
  const parts = sort.split(',').map((part) => part.trim());
  // `sort=` or `sort=a,,b` is a mistake in the caller's URL, not a request for the default order.
  if (parts.some((part) => part === '')) {
    throw new CrmError('sort_invalid', { field: sort, reason: reason('sort_empty_term') }, [{ path: 'sort', code: 'invalid', params: { reason: reason('sort_empty_term_hint') } }]);
  }
  return parts.map((part) => (part.startsWith('-') ? { field: part.slice(1), direction: 'desc' as const } : { field: part.replace(/^\+/, ''), direction: 'asc' as const }));
}

/** Resolves sort specs to sortable stored columns and appends id, which makes every order total. */
export function resolveSort(object: CompiledObject, specs: readonly SortSpec[], hidden: ReadonlySet<string> = new Set()): SortKey[] {
  if (specs.length > 5) throw new CrmError('sort_invalid', { field: specs.map((s) => s.field).join(','), reason: reason('too_many_sort_fields', { max: 5 }) });
  const keys: SortKey[] = [];
  for (const spec of specs) {
    const field = hidden.has(spec.field) ? undefined : object.fieldsByName.get(spec.field);
    if (!field) throw new CrmError('sort_invalid', { field: spec.field, reason: reason('not_a_field_of', { object: object.name }) });
    // A field the caller may see is named by its label.
    if (spec.direction !== undefined && spec.direction !== 'asc' && spec.direction !== 'desc') {
      throw new CrmError('sort_invalid', { field: field.definition.label, reason: reason('sort_direction', { choices: ['asc', 'desc'] }) });
    }
    if (!field.type.capabilities.sortable) throw new CrmError('sort_invalid', { field: field.definition.label, reason: reason('type_not_sortable', { type: field.definition.type }) });
    if (!field.column) throw new CrmError('sort_invalid', { field: field.definition.label, reason: reason('computed_when_read') });
    if (keys.some((k) => k.field.name === field.name)) continue;
    keys.push({ field, column: field.column, direction: spec.direction ?? 'asc' });
  }
  if (!keys.some((k) => k.column === 'id')) keys.push({ field: object.fieldsByName.get('id')!, column: 'id', direction: 'asc' });
  return keys;
}

export function sortSignature(keys: readonly SortKey[]): string {
  return keys.map((k) => `${k.direction === 'desc' ? '-' : ''}${k.column}`).join(',');
}
