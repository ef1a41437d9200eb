import type { ApprovalProcessDefinition } from '../approvals/types';
import type { CompiledField, CompiledObject } from '../metadata/compiled';
import { recordReferenceOf } from '../field-types';
import { usable } from '../objects/object-service';
import type { ActorAccess, ObjectAccess } from '../security/actor-access';
import { readsHidden, visibleField, visibleLayout, visibleObject, visibleValidationRule, visibleView } from '../security/visible-metadata';
import type {
  ClientApprovalProcess,
  ClientField,
  ClientObject,
  ClientPermissions,
  ClientValidationRule,
  ClientValueKind,
} from './client-projection-types';

/**
 * Builds the objects part of the client projection from one actor's access. Everything here is
 * a function of the metadata revision and the actor's grants (roles, token scopes), never of who
 * the actor is, so one result serves everyone with the same grants.
 *
 * The rule throughout: a field hidden from the actor appears nowhere, not even by name. What
 * that means for each kind of document is security/visible-metadata.ts, shared with the metadata
 * reads; here too an approval's entry criteria reading a hidden field are left out, and the
 * active rules left out are counted (`entry_criteria_withheld`, `server_only_rules`) so the UI
 * knows the server may say more than it can check.
 */
export function projectObjects(access: ActorAccess): ClientObject[] {
  const objects: ClientObject[] = [];
  for (const object of access.metadata.objects()) {
    if (!usable(access, object.name)) continue;
    objects.push(projectObject(access, object));
  }
  return objects;
}

function projectObject(access: ActorAccess, object: CompiledObject): ClientObject {
  const own = access.object(object.name);
  const hidden = own.hidden;
  const definition = visibleObject(object.definition, hidden);
  const rules = validationRules(object, hidden);
  return {
    ...definition,
    permissions: permissions(own),
    fields: object.fields.filter((f) => !hidden.has(f.name)).map((f) => clientField(access, own, f)),
    layouts: [...object.layouts.values()].map((layout) => visibleLayout(access, layout, hidden)),
    views: [...object.views.values()].flatMap((view) => visibleView(view, hidden) ?? []),
    validation_rules: rules.visible,
    server_only_rules: rules.withheld,
    approval_processes: [...object.approvalProcesses.values()].filter((p) => p.active).map((p) => approvalProcess(p, own)),
  };
}

function permissions(own: ObjectAccess): ClientPermissions {
  return {
    create: own.create,
    read: own.read,
    edit: own.edit,
    delete: own.delete,
    export: own.export,
    // The transfer route updates owner_id: it needs edit and an owner_id the actor may write.
    transfer: own.edit && own.mode('owner_id') === 'editable',
    read_scope: own.readScope,
    edit_scope: own.editScope,
  };
}

function clientField(access: ActorAccess, own: ObjectAccess, field: CompiledField): ClientField {
  const definition = visibleField(access, field.definition, own.hidden);
  let readOnly = !field.writable || own.mode(field.name) === 'read_only';
  let targetUnreadable = false;
  const def = field.definition;

  // System fields (id) are typed as references to their own object; nobody picks them.
  const reference = field.system ? undefined : recordReferenceOf(def);
  if (reference) {
    const target = access.metadata.findObject(reference.target);
    // The API answers such a value as a bare `{id}` and refuses every record the actor could pick.
    if (!target || !access.object(target.name).read) {
      targetUnreadable = true;
      readOnly = true;
    }
  }
  // Typed so that a new engine value kind fails to compile here until the client type knows it.
  const valueKind: ClientValueKind = field.kind;
  return {
    ...definition,
    mode: readOnly ? 'read_only' : 'editable',
    system: field.system,
    value_kind: valueKind,
    ...(targetUnreadable ? { target_readable: false as const } : {}),
  };
}

function validationRules(object: CompiledObject, hidden: ReadonlySet<string>): { visible: ClientValidationRule[]; withheld: number } {
  const visible: ClientValidationRule[] = [];
  let withheld = 0;
  // The compiled list holds the active rules in the order the server runs them.
  for (const compiled of object.activeValidationRules) {
    const stored = object.validationRules.get(compiled.name);
    if (!stored) continue;
    const rule = visibleValidationRule(stored, hidden, compiled.reads);
    if (!rule) {
      withheld += 1;
      continue;
    }
    visible.push({ name: rule.name, ...(rule.label !== undefined ? { label: rule.label } : {}), condition: rule.condition, message: rule.message, fields: rule.fields });
  }
  return { visible, withheld };
}

function approvalProcess(process: ApprovalProcessDefinition, own: ObjectAccess): ClientApprovalProcess {
  const withheld = readsHidden(process.entry_criteria, own.hidden);
  return {
    name: process.name,
    label: process.label,
    ...(process.description !== undefined ? { description: process.description } : {}),
    // Submitting needs edit on the object (ApprovalService.submit); the record's own scope is checked there.
    may_submit: own.edit,
    ...(withheld ? { entry_criteria_withheld: true as const } : { entry_criteria: process.entry_criteria }),
  };
}
