import { AUDIT_EVENTS, AUDIT_KINDS, SYSTEM_USER_ID } from '@crm/engine';
import { roleDocumentSchemas } from './document-schemas';
import { schemaRef, type DocumentPart, type SchemaObject } from './types';

/** The shapes of roles (/api/meta/roles) and the audit log (/api/audit): security/routes.ts. */

// Mirrors AuditService.list (security/audit-log.ts).
export const AUDIT_MAX_LIMIT = 500;

const auditSchemas: Record<string, SchemaObject> = {
  AuditRecord: {
    type: 'object',
    description: 'One security event or metadata change. The log is append-only.',
    properties: {
      id: { type: 'integer' },
      at: { type: 'string', format: 'date-time' },
      actor_id: { type: ['string', 'null'], format: 'uuid', description: `Who did it (\`${SYSTEM_USER_ID}\`: the system, e.g. a template install; null: nobody known, e.g. a failed sign-in).` },
      event: { type: 'string', enum: [...AUDIT_EVENTS] },
      subject: {
        type: ['string', 'null'],
        description:
          'What it was done to: a user or token id, `object/record id`, an object name for exports; for a metadata change `<object>` (an object), `<object>.<name>` (a field, layout, view, validation rule, workflow or approval process), `role:sales_rep`, `department:<id>`, `user:<id>`, named as after the change.',
      },
      details: {
        description:
          'What changed, as the event records it. A metadata change: `revision` (the metadata revision it produced), `before` and `after` (the stored document; null before a create and after a delete) and `also_changed` (other documents it rewrote, each with kind, subject, before and after).',
      },
      ip: { type: ['string', 'null'] },
    },
    required: ['id', 'at', 'actor_id', 'event', 'subject', 'details', 'ip'],
  },
  AuditPage: {
    type: 'object',
    properties: {
      data: { type: 'array', items: schemaRef('AuditRecord') },
      next_cursor: { type: ['string', 'null'], description: 'Pass as `cursor` for the next (older) page; null on the last page.' },
    },
    required: ['data', 'next_cursor'],
  },
};

export const ROLES_TAG = { name: 'roles', description: 'Roles: what people may do with each object' } as const;
export const AUDIT_TAG = { name: 'audit', description: 'The audit log: security events and metadata changes' } as const;

export function accessComponents(): DocumentPart {
  return { paths: {}, tags: [ROLES_TAG, AUDIT_TAG], schemas: { ...roleDocumentSchemas(), ...auditSchemas } };
}
