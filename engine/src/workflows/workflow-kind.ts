import { byName, type DocumentKind } from '../metadata/document-kind';
import type { StoredElement } from '../metadata/snapshot';
import { checkWorkflow } from './check-workflow';
import { compileWorkflows, type CompiledObjectWorkflows } from './compile-workflows';
import type { WorkflowDefinition } from './types';
import { workflowFieldRename, workflowObjectRename } from './workflow-references';
import { workflowSchema } from './workflow-schema';

declare module '../metadata/snapshot' {
  interface StoredObjectDocuments {
    readonly workflows: readonly StoredElement<WorkflowDefinition>[];
  }
}
declare module '../core/compiled' {
  interface CompiledObjectDocuments {
    /** Workflow documents by name, active or not (what the metadata API serves). */
    readonly workflows: ReadonlyMap<string, WorkflowDefinition>;
    /** The active ones, compiled: which record events have work (none: writes pay nothing). */
    readonly activeWorkflows: CompiledObjectWorkflows;
  }
}

/** Workflows as a document kind: loaded by name, so workflows of one event run in name order. */
export const workflowKind: DocumentKind = {
  kind: 'workflow',
  plural: 'workflows',
  schema: workflowSchema,
  storage: { table: 'crm_meta.workflows', key: 'workflows', order: 'name' },
  // Fields, objects, roles, departments and processes that exist; rules over known variables.
  check: (context) => {
    for (const { definition: workflow } of context.object.workflows) {
      checkWorkflow(workflow, {
        object: context.object,
        fields: context.fields,
        fieldMaps: context.fieldMaps,
        roleNames: context.roleNames,
        departmentIds: context.departmentIds,
        report: (path, reason) => context.report(workflow.name, path, reason),
        checkRule: (path, rule, scope, sqlScope) => context.checkRule(workflow.name, path, rule, scope, sqlScope),
      });
    }
  },
  compile: (object, compilers) => ({
    workflows: byName(object.workflows),
    activeWorkflows: compileWorkflows(object.workflows, compilers),
  }),
  renameField: workflowFieldRename,
  renameObject: workflowObjectRename,
  usages: [
    [/^trigger\/fields/, 'watches'],
    [/^trigger\/(condition|filter)/, 'reads_trigger'],
    [/^trigger\/(field|older_than)/, 'runs_on_date'],
    [/^actions\/\d+\/values\//, 'writes_records', 'object'],
    [/^actions\/\d+\/values\/[^/]+$/, 'sets_value'],
    [/^actions\/\d+\/values\/[^/]+\//, 'reads_value'],
    [/^actions\/\d+\/target$/, 'updates_through'],
    [/^actions\/\d+\/object$/, 'creates_records'],
    [/^actions\/\d+\/rules\/\d+\/when/, 'reads_assignment'],
    [/round_robin\/role$/, 'assigns_in_turn'],
    [/^actions\/\d+\/field$/, 'shares_with'],
    [/^actions\/\d+\/recipients\/\d+\/field$/, 'notifies_field'],
    [/^actions\/\d+\/recipients\/\d+\/role$/, 'notifies'],
    [/^actions\/\d+\/(to|cc)\//, 'emails'],
    [/^actions\/\d+\/(title|body|subject|text|html)$/, 'writes_message'],
    [/^actions\/\d+\/body\//, 'sends_webhook'],
    [/^actions\/\d+\/process$/, 'submits_to'],
  ],
};
