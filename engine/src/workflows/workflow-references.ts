import { mapAssignedRules, renameAssignedField } from '../assignments';
import { mapRuleVarPaths, type DocumentUpdate } from '../metadata/references';
import type { MetadataSnapshot, StoredObject } from '../metadata/snapshot';
import type { FieldRename } from './actions/action-type';
import { actionTypeOf } from './actions/registry';
import type { WorkflowAction, WorkflowDefinition, WorkflowTrigger } from './types';

/**
 * Renames followed through workflows, like validation rules do. A field of the workflow's own
 * object is renamed in the trigger (fields, date field, condition and filter, `$old.<field>`),
 * in every rule of the actions, in the fields actions name (target, recipients, addresses, share
 * field), in the keys of self-updates, and in `{{field}}` tags of templates; a field of another
 * object is renamed in the keys of actions that write that object. Deleting a field, object or
 * role a workflow uses is not cleaned up: validate-graph refuses it, naming the workflow.
 */

function live(snapshot: MetadataSnapshot): readonly StoredObject[] {
  return snapshot.objects.filter((o) => o.deletedAt === null);
}

/** `{{from}}`, `{{#from}}`, `{{from.name}}`, `{{{from}}}` ... -> to. */
function renameTemplate(text: string | undefined, from: string, to: string): string | undefined {
  if (text === undefined) return undefined;
  return text.replace(new RegExp(`(\\{\\{\\{?\\s*[#^/&]?\\s*)${from}(?=[\\s.}])`, 'g'), `$1${to}`);
}

export function workflowFieldRename(snapshot: MetadataSnapshot, objectName: string, from: string, to: string): DocumentUpdate[] {
  const objects = live(snapshot);
  const renamePath = (path: string): string => {
    const old = path.startsWith('$old.');
    const [head, ...tail] = (old ? path.slice('$old.'.length) : path).split('.');
    return head === from ? [old ? `$old.${to}` : to, ...tail].join('.') : path;
  };
  const rules = (rule: unknown) => mapRuleVarPaths(rule, renamePath);
  const name = (n: string | undefined) => (n === from ? to : n);
  const rename: FieldRename = {
    from,
    to,
    name: (n) => (n === from ? to : n),
    rule: rules,
    values: (values) => mapAssignedRules(values, rules),
    template: (text) => renameTemplate(text, from, to)!,
  };

  const updates: DocumentUpdate[] = [];
  for (const object of objects) {
    const own = object.definition.name === objectName;
    for (const stored of object.workflows) {
      const before = stored.definition;
      let trigger: WorkflowTrigger = before.trigger;
      if (own) {
        if (trigger.type === 'record') {
          trigger = {
            ...trigger,
            ...(trigger.fields ? { fields: trigger.fields.map((f) => (f === from ? to : f)) } : {}),
            ...(trigger.condition !== undefined ? { condition: rules(trigger.condition) } : {}),
          };
        } else if (trigger.type === 'date') {
          trigger = { ...trigger, field: name(trigger.field)!, ...(trigger.condition !== undefined ? { condition: rules(trigger.condition) } : {}) };
        } else {
          trigger = {
            ...trigger,
            ...(trigger.filter !== undefined ? { filter: rules(trigger.filter) } : {}),
            ...(trigger.older_than ? { older_than: { ...trigger.older_than, field: name(trigger.older_than.field)! } } : {}),
          };
        }
      }
      const actions = before.actions.map((action): WorkflowAction => {
        const type = actionTypeOf(action);
        let next = action;
        // Keys of the values name fields of the object the action writes (before its own target is renamed).
        if ('values' in next && type.writesTo?.(action, object) === objectName) next = { ...next, values: renameAssignedField(next.values, from, to) };
        return own && type.renameField ? type.renameField(next, rename) : next;
      });
      const after: WorkflowDefinition = { ...before, trigger, actions };
      if (JSON.stringify(before) !== JSON.stringify(after)) updates.push({ kind: 'workflow', id: stored.id, definition: after });
    }
  }
  return updates;
}

/** Actions that name a renamed object (creating its records) follow it. */
export function workflowObjectRename(snapshot: MetadataSnapshot, from: string, to: string): DocumentUpdate[] {
  const updates: DocumentUpdate[] = [];
  for (const object of live(snapshot)) {
    for (const stored of object.workflows) {
      const actions = stored.definition.actions.map((a) => actionTypeOf(a).renameObject?.(a, from, to) ?? a);
      if (JSON.stringify(actions) === JSON.stringify(stored.definition.actions)) continue;
      updates.push({ kind: 'workflow', id: stored.id, definition: { ...stored.definition, actions } });
    }
  }
  return updates;
}
