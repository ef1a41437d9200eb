import { byName, type DocumentKind } from '../metadata/document-kind';
import { fieldsScope } from '../metadata/rule-scope';
import type { StoredElement } from '../metadata/snapshot';
import { checkApprovalProcess } from './check-process';
import { approvalProcessFieldRename } from './process-references';
import { approvalProcessSchema } from './process-schema';
import type { ApprovalProcessDefinition } from './types';

declare module '../metadata/snapshot' {
  interface StoredObjectDocuments {
    readonly approvalProcesses: readonly StoredElement<ApprovalProcessDefinition>[];
  }
}
declare module '../core/compiled' {
  interface CompiledObjectDocuments {
    /**
     * Approval process documents by name, in creation order, active or not. While any exists, a
     * record's writes check for a pending approval request (an inactive process may still have some).
     */
    readonly approvalProcesses: ReadonlyMap<string, ApprovalProcessDefinition>;
  }
}

/**
 * Approval processes as a document kind: loaded in creation order (without a named process, a
 * submission takes the first active one that applies).
 */
export const approvalProcessKind: DocumentKind = {
  kind: 'approval_process',
  plural: 'approval_processes',
  schema: approvalProcessSchema,
  storage: { table: 'crm_meta.approval_processes', key: 'approvalProcesses', order: 'creation' },
  // Criteria and field updates over known fields, roles and user fields that exist.
  check: (context) => {
    for (const { definition: process } of context.object.approvalProcesses) {
      checkApprovalProcess(
        process,
        context.fields,
        context.roleNames,
        (path, reason) => context.report(process.name, path, reason),
        (path, rule) => context.checkRule(process.name, path, rule, fieldsScope(context.fields)),
      );
    }
  },
  compile: (object) => ({ approvalProcesses: byName(object.approvalProcesses) }),
  renameField: approvalProcessFieldRename,
  usages: [
    [/^entry_criteria/, 'reads_entry_criteria'],
    [/^steps\/\d+\/criteria/, 'reads_step_criteria'],
    [/^steps\/\d+\/approvers\/\d+\/(field|role)$/, 'approvers_from'],
    [/^on_approve\/[^/]+$/, 'sets_on_approve'],
    [/^on_reject\/[^/]+$/, 'sets_on_reject'],
    [/^on_recall\/[^/]+$/, 'sets_on_recall'],
    [/^on_(approve|reject|recall)\/[^/]+\//, 'reads_field_update'],
  ],
};
