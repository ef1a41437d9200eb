import type { CompiledField } from '../metadata/compiled';
import type { KindCheckContext } from '../metadata/document-kind';
import { fieldsScope, ruleReads } from '../metadata/rule-scope';
import type { StoredObject } from '../metadata/snapshot';
import type { FieldDefinition, MultiselectField, RollupField, SelectField } from '../metadata/types';
import { computationOf, recordReferenceOf } from '../field-types';
import { isLiteral } from '../rules/literal';
import { reason, type ReasonData } from '../errors';

/**
 * The whole-graph check of an object's fields (moved from metadata/validate-graph.ts): what a
 * field type allows (unique, indexed, required, searchable, a default), what a field names
 * (lookup targets, controlling fields, rollup children) and formulas that read each other in a cycle.
 */

type CheckRule = KindCheckContext['checkRule'];

export function checkFields(context: KindCheckContext): void {
  const { object, fields, objects: byName, fieldMaps, report } = context;
  const checkRule: CheckRule = (name, path, rule, scope, sqlScope) => context.checkRule(name, path, rule, scope, sqlScope);
  for (const stored of object.fields) {
    const def = stored.definition;
    const field = fields.get(def.name)!;
    const at = (path: string, why: ReasonData) => report(def.name, path, why);
    for (const issue of field.type.check?.(def) ?? []) at(issue.path, issue.reason);
    const caps = field.type.capabilities;
    if (def.unique && !caps.unique) at('unique', reason('type_cannot_be_unique', { type: def.type }));
    if (def.indexed && !caps.indexable) at('indexed', reason('type_cannot_be_indexed', { type: def.type }));
    if (def.required && !caps.requirable) at('required', reason('type_cannot_be_required', { type: def.type }));
    if (def.searchable && !caps.searchable) at('searchable', reason('type_cannot_be_searched', { type: def.type }));
    if (def.default !== undefined) {
      if (!caps.defaultable) at('default', reason('type_cannot_have_default', { type: def.type }));
      else if (isLiteral(def.default)) {
        if (def.default !== null) {
          const normalized = validateLiteral(field, def.default);
          if (normalized) at('default', normalized);
        }
      } else checkRule(def.name, 'default', def.default, fieldsScope(fields, { exclude: def.name }));
    }
    checkFieldSpecifics(def, object, byName, fieldMaps, at, checkRule);
  }
  for (const cycle of formulaCycles(object)) report(cycle[0]!, 'expression', reason('formula_cycle', { cycle: cycle.join(' -> ') }));
}

function validateLiteral(field: CompiledField, value: unknown): ReasonData | undefined {
  if (!field.type.capabilities.input) return undefined;
  const result = field.type.normalize(value, field.definition, { previous: undefined });
  if (!result.ok) return reason('default_literal_not_expected', { value: JSON.stringify(value), expected: field.type.expected });
  return undefined;
}

function checkFieldSpecifics(
  def: FieldDefinition,
  object: StoredObject,
  byName: ReadonlyMap<string, StoredObject>,
  fieldMaps: ReadonlyMap<string, ReadonlyMap<string, CompiledField>>,
  at: (path: string, why: ReasonData) => void,
  checkRule: CheckRule,
): void {
  const objectName = object.definition.name;
  const fields = fieldMaps.get(objectName)!;
  const reference = recordReferenceOf(def);
  if (reference) {
    if (!byName.has(reference.target)) at('target', reason('object_missing', { name: reference.target }));
    if (reference.owned && reference.target === objectName) at('target', reason('own_master'));
  }
  if ('options' in def) checkDependentOptions(def, objectName, fields, at);
  const computation = computationOf(def);
  if (computation?.kind === 'expression') checkRule(def.name, 'expression', computation.expression, fieldsScope(fields, { exclude: def.name }), undefined);
  if (computation?.kind === 'aggregate') checkRollup(computation.rollup, objectName, byName, fieldMaps, at, checkRule);
}

/** Options that depend on a controlling field name values that field offers (dependent picklists). */
function checkDependentOptions(
  def: SelectField | MultiselectField,
  objectName: string,
  fields: ReadonlyMap<string, CompiledField>,
  at: (path: string, why: ReasonData) => void,
): void {
  if (def.controlling_field === undefined) {
    if (def.options.some((o) => o.valid_for)) at('options', reason('property_needs', { property: 'valid_for', needed: 'controlling_field' }));
    return;
  }
  const controlling = fields.get(def.controlling_field);
  if (!controlling || controlling.system) {
    at('controlling_field', reason('not_a_field_of_named', { name: def.controlling_field, object: objectName }));
    return;
  }
  if (def.controlling_field === def.name) at('controlling_field', reason('controls_itself'));
  const offered = controlling.type.controllingValues?.(controlling.definition);
  if (!offered) {
    at('controlling_field', reason('controlling_field_type'));
    return;
  }
  const allowed = new Set(offered);
  def.options.forEach((option, i) =>
    option.valid_for?.forEach((v, j) => {
      if (!allowed.has(v)) at(`options/${i}/valid_for/${j}`, reason('not_a_value_of', { value: v, field: def.controlling_field! }));
    }),
  );
}

function checkRollup(
  def: RollupField,
  objectName: string,
  byName: ReadonlyMap<string, StoredObject>,
  fieldMaps: ReadonlyMap<string, ReadonlyMap<string, CompiledField>>,
  at: (path: string, why: ReasonData) => void,
  checkRule: CheckRule,
): void {
  if (!byName.has(def.child_object)) {
    at('child_object', reason('object_missing', { name: def.child_object }));
    return;
  }
  const childFields = fieldMaps.get(def.child_object)!;
  const relation = childFields.get(def.relationship_field);
  if (!relation || relation.system) at('relationship_field', reason('not_a_field_of_named', { name: def.relationship_field, object: def.child_object }));
  else if (recordReferenceOf(relation.definition)?.target !== objectName) {
    at('relationship_field', reason('does_not_point_at', { field: def.relationship_field, object: def.child_object, target: objectName }));
  }
  if (def.aggregate !== 'count' && def.aggregate_field !== undefined) {
    const aggregated = childFields.get(def.aggregate_field);
    if (!aggregated) at('aggregate_field', reason('not_a_field_of_named', { name: def.aggregate_field, object: def.child_object }));
    else if (!aggregated.column) at('aggregate_field', reason('computed_not_aggregatable', { name: def.aggregate_field }));
    else if (def.aggregate === 'sum' && aggregated.kind !== 'number') at('aggregate_field', reason('aggregate_needs_number', { aggregate: 'sum' }));
    else if (!['number', 'date', 'datetime'].includes(aggregated.kind)) at('aggregate_field', reason('aggregate_needs_number_or_date', { aggregate: def.aggregate }));
  }
  if (def.filter !== undefined) {
    // Stored values must not depend on who reads them or when: no $user / $now / $today.
    const scope = fieldsScope(childFields, { allowContext: false });
    checkRule(def.name, 'filter', def.filter, scope, scope);
  }
}

function formulaCycles(object: StoredObject): string[][] {
  const formulas = new Map(
    object.fields.flatMap((f) => {
      const computation = computationOf(f.definition);
      return computation?.kind === 'expression' ? [[f.definition.name, ruleReads(computation.expression)] as const] : [];
    }),
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
