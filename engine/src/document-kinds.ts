import { approvalProcessKind } from './approvals/approval-process-kind';
import { fieldKind } from './fields/field-kind';
import { layoutKind } from './layouts/layout-kind';
import { DocumentKinds } from './metadata/document-kind';
import { validationRuleKind } from './validation-rules/validation-rule-kind';
import { viewKind } from './views/view-kind';
import { workflowKind } from './workflows/workflow-kind';

/**
 * Every kind of metadata document the engine knows, in the order their whole-graph checks run and
 * report. metadata/ knows none of them: the engine hands this registry to the metadata cache at
 * creation. A new kind of document is a folder of its own with a DocumentKind, added here.
 */
export const DOCUMENT_KINDS = new DocumentKinds([fieldKind, layoutKind, viewKind, validationRuleKind, approvalProcessKind, workflowKind]);
