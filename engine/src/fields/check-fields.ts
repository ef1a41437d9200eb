import type { CompiledField } from '../metadata/compiled';
import type { KindCheckContext } from '../metadata/document-kind';
import { fieldsScope, ruleReads } from '../metadata/rule-scope';
import type { StoredObject } from '../metadata/snapshot';
import type { FieldDefinition, FormulaField, RollupField, SelectOption } from '../metadata/types';

/**
 * The whole-graph check of an object's fields (moved from metadata/validate-graph.ts): what a
 * field type allows (unique, indexed, required, searchable, a default), what a field names
 * (lookup targets, controlling fields, rollup children) and formulas that read each other in a cycle.
 */

type CheckRule = KindCheckContext['checkRule'];

function isLiteral(rule: unknown): boolean {
  if (rule === null || typeof rule !== 'object') return true;
  if (Array.isArray(rule)) return rule.every(isLiteral);
  return false;
}

export function checkFields(context: KindCheckContext): void {
  const { object, fields, objects: byName, fieldMaps, report } = context;
  const checkRule: CheckRule = (name, path, rule, scope, sqlScope) => context.checkRule(name, path, rule, scope, sqlScope);
  for (const stored of object.fields) {
    const def = stored.definition;
    const field = fields.get(def.name)!;
    const at = (path: string, reason: string) => report(def.name, path, reason);
    for (const issue of field.type.check?.(def) ?? []) at(issue.path, issue.reason);
    const caps = field.type.capabilities;
    if (def.unique && !caps.unique) at('unique', `a ${def.type} field cannot be unique`);
    if (def.indexed && !caps.indexable) at('indexed', `a ${def.type} field cannot be indexed`);
    if (def.required && !caps.requirable) at('required', `a ${def.type} field cannot be required`);
    if (def.searchable && !caps.searchable) at('searchable', `a ${def.type} field cannot be searched as text`);
    if (def.default !== undefined) {
      if (!caps.defaultable) at('default', `a ${def.type} field cannot have a default`);
      else if (isLiteral(def.default)) {
        if (def.default !== null) {
          const normalized = validateLiteral(field, def.default);
          if (normalized) at('default', normalized);
        }
      } else checkRule(def.name, 'default', def.default, fieldsScope(fields, { exclude: def.name }));
    }
    checkFieldSpecifics(def, object, byName, fieldMaps, at, checkRule);
  }
  for (const cycle of formulaCycles(object)) report(cycle[0]!, 'expression', `formulas read each other in a cycle: ${cycle.join(' -> ')}`);
}

function validateLiteral(field: CompiledField, value: unknown): string | undefined {
  if (!field.type.capabilities.input) return undefined;
  const result = field.type.normalize(value, field.definition, { previous: undefined });
  if (!result.ok) return `default ${JSON.stringify(value)} is not ${field.type.expected}`;
  return undefined;
}

function checkFieldSpecifics(
  def: FieldDefinition,
  object: StoredObject,
  byName: ReadonlyMap<string, StoredObject>,
  fieldMaps: ReadonlyMap<string, ReadonlyMap<string, CompiledField>>,
  at: (path: string, reason: string) => void,
  checkRule: CheckRule,
): void {
  const objectName = object.definition.name;
  const fields = fieldMaps.get(objectName)!;
  switch (def.type) {
    case 'lookup':
    case 'master_detail':
      if (!byName.has(def.target)) at('target', `object "${def.target}" does not exist`);
      if (def.type === 'master_detail' && def.target === objectName) at('target', 'a record cannot be its own master; use a lookup');
      break;
    case 'select':
    case 'multiselect': {
      if (def.controlling_field === undefined) {
        if (def.options.some((o) => o.valid_for)) at('options', 'valid_for needs a controlling_field');
        break;
      }
      const controlling = fields.get(def.controlling_field);
      if (!controlling || controlling.system) {
        at('controlling_field', `"${def.controlling_field}" is not a field of ${objectName}`);
        break;
      }
      if (def.controlling_field === def.name) at('controlling_field', 'a field cannot control itself');
      const cdef = controlling.definition;
      const allowed =
        cdef.type === 'select' ? new Set(cdef.options.map((o: SelectOption) => o.value)) : cdef.type === 'boolean' ? new Set(['true', 'false']) : undefined;
      if (!allowed) {
        at('controlling_field', 'the controlling field must be a select or a yes/no field');
        break;
      }
      def.options.forEach((option, i) =>
        option.valid_for?.forEach((v, j) => {
          if (!allowed.has(v)) at(`options/${i}/valid_for/${j}`, `"${v}" is not a value of ${def.controlling_field}`);
        }),
      );
      break;
    }
    case 'formula':
      checkRule(def.name, 'expression', def.expression, fieldsScope(fields, { exclude: def.name }), undefined);
      break;
    case 'rollup':
      checkRollup(def, objectName, byName, fieldMaps, at, checkRule);
      break;
    default:
      break;
  }
}

function checkRollup(
  def: RollupField,
  objectName: string,
  byName: ReadonlyMap<string, StoredObject>,
  fieldMaps: ReadonlyMap<string, ReadonlyMap<string, CompiledField>>,
  at: (path: string, reason: string) => void,
  checkRule: CheckRule,
): void {
  if (!byName.has(def.child_object)) {
    at('child_object', `object "${def.child_object}" does not exist`);
    return;
  }
  const childFields = fieldMaps.get(def.child_object)!;
  const relation = childFields.get(def.relationship_field);
  if (!relation || relation.system) at('relationship_field', `"${def.relationship_field}" is not a field of ${def.child_object}`);
  else if ((relation.definition.type !== 'lookup' && relation.definition.type !== 'master_detail') || relation.definition.target !== objectName) {
    at('relationship_field', `"${def.relationship_field}" of ${def.child_object} does not point at ${objectName}`);
  }
  if (def.aggregate !== 'count' && def.aggregate_field !== undefined) {
    const aggregated = childFields.get(def.aggregate_field);
    if (!aggregated) at('aggregate_field', `"${def.aggregate_field}" is not a field of ${def.child_object}`);
    else if (!aggregated.column) at('aggregate_field', `"${def.aggregate_field}" is computed on read and cannot be aggregated`);
    else if (def.aggregate === 'sum' && aggregated.kind !== 'number') at('aggregate_field', 'sum needs a number field');
    else if (!['number', 'date', 'datetime'].includes(aggregated.kind)) at('aggregate_field', `${def.aggregate} needs a number or date field`);
  }
  if (def.filter !== undefined) {
    // Stored values must not depend on who reads them or when: no $user / $now / $today.
    const scope = fieldsScope(childFields, { allowContext: false });
    checkRule(def.name, 'filter', def.filter, scope, scope);
  }
}

function formulaCycles(object: StoredObject): string[][] {
  const formulas = new Map(
    object.fields.filter((f) => f.definition.type === 'formula').map((f) => [f.definition.name, ruleReads((f.definition as FormulaField).expression)]),
  );
  const cycles: string[][] = [];
  const state = new Map<string, 'visiting' | 'done'>();
  const stack: string[] = [];
  const visit = (name: string): void => {
    if (state.get(name) === 'done') return;
    if (state.get(name) === 'visiting') {
      cycles.push([...stack.slice(stack.indexOf(name)), name]);
      return;
    }
    state.set(name, 'visiting');
    stack.push(name);
    for (const read of formulas.get(name) ?? []) if (formulas.has(read)) visit(read);
    stack.pop();
    state.set(name, 'done');
  };
  [...formulas.keys()].forEach(visit);
  return cycles;
}
