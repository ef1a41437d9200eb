import { systemActor } from '../../actors';
import { evaluateAssignments, fieldAssignmentsSchema } from '../../assignments';
import type { ActionType } from './action-type';
import { checkValues } from './checks';
import { apiName, name } from './schema-parts';
import { reason } from '../../errors';

/** Creates a record of an object (this one or another), its values rules over the triggering record. */
export const createRecordAction: ActionType<'create_record'> = {
  type: 'create_record',
  schema: {
    properties: { type: { const: 'create_record' }, name, object: apiName, values: fieldAssignmentsSchema },
    required: ['type', 'object', 'values'],
    additionalProperties: false,
  },
  check(action, at, scope, context) {
    if (!context.fieldMaps.has(action.object)) context.report(`${at}/object`, reason('object_missing', { name: action.object }));
    else checkValues(action.values, `${at}/values`, action.object, scope, context);
  },
  async run(action, { run, services, within }) {
    const created = await services.records.create(systemActor, action.object, evaluateAssignments(action.values, run.data), { within });
    // The new record's rollups, or workflows of its own, may have changed this one.
    const child = run.metadata.object(action.object);
    if (child.activeWorkflows.events.size > 0 || child.rollupsOnParents.some((r) => r.parentObject === run.object.name)) run.latest.stale = true;
    return { outcome: 'done', detail: { object: action.object, id: created.id } };
  },
  plan(action, _index, planner) {
    planner.createRecord(action.object, action.values);
  },
  renameField: (action, rename) => ({ ...action, values: rename.values(action.values) }),
  writesTo: (action) => action.object,
  renameObject: (action, from, to) => (action.object === from ? { ...action, object: to } : action),
};
