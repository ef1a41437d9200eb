import { systemActor } from '../../actors';
import { evaluateAssignments, fieldAssignmentsSchema } from '../../assignments';
import { recordReferenceOf } from '../../field-types';
import type { ActionType } from './action-type';
import { checkValues } from './checks';
import { apiName, name } from './schema-parts';
import { reason } from '../../errors';

/** Sets fields of the record, or of the record a lookup of it points at (`target`). */
export const updateRecordAction: ActionType<'update_record'> = {
  type: 'update_record',
  schema: {
    properties: { type: { const: 'update_record' }, name, target: apiName, values: fieldAssignmentsSchema },
    required: ['type', 'values'],
    additionalProperties: false,
  },
  check(action, at, scope, context) {
    const { fields, report } = context;
    let target = context.object.definition.name;
    if (action.target !== undefined) {
      const field = fields.get(action.target);
      const reference = field && !field.system ? recordReferenceOf(field.definition) : undefined;
      if (!field || field.system) report(`${at}/target`, reason('not_a_field_of_this_object', { name: action.target }));
      else if (!reference) report(`${at}/target`, reason('field_not_lookup', { name: action.target, type: field.definition.type }));
      else target = reference.target;
    }
    checkValues(action.values, `${at}/values`, target, scope, context);
  },
  async run(action, { run, services, recordId, within, self }) {
    let objectName = run.object.name;
    let id = recordId;
    if (action.target !== undefined) {
      const field = run.object.fieldsByName.get(action.target);
      objectName = (field?.definition as { target: string }).target;
      id = run.record[action.target] as string;
      if (typeof id !== 'string') return { outcome: 'skipped', detail: { reason: `${action.target} is empty` } };
    }
    const values = evaluateAssignments(action.values, run.data);
    const itself = objectName === run.object.name && id === recordId;
    const written = await services.records.update(systemActor, objectName, id, values, { within: itself ? self : within });
    if (!itself) run.latest.stale = true;
    return { outcome: 'done', detail: { object: objectName, id, version: written.version } };
  },
  plan(action, _index, planner) {
    if (action.target !== undefined) planner.notPlannable();
    planner.updateRecord(action.values);
  },
  renameField: (action, rename) => ({ ...action, ...(action.target !== undefined ? { target: rename.name(action.target) } : {}), values: rename.values(action.values) }),
  writesTo(action, owner) {
    if (action.target === undefined) return owner.definition.name;
    const field = owner.fields.find((f) => f.definition.name === action.target)?.definition;
    return field ? recordReferenceOf(field)?.target : undefined;
  },
};
