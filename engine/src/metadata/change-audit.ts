import { actorUserId, type Actor } from '../actors';
import { METADATA_AUDIT_EVENTS_BY_KIND, type AuditEntry, type MetadataAuditEvent, type MetadataKind } from '../db/audit-entries';
import type { DocumentKinds } from './document-kind';
import type { MetadataSnapshot } from './snapshot';

/** A metadata document as the audit log shows it: as stored, never with secrets. */
export type AuditDocument = object;

/**
 * The document a change is about, named by its id (it may be renamed by the change), with the
 * changes to documents outside the metadata snapshot (users) that it caused, if any.
 */
export type AuditedDocument = (
  | { readonly id: string }
  /** A document the metadata snapshot does not hold (a user), given as it was and as it is. */
  | { readonly id: string; readonly before: AuditDocument | null; readonly after: AuditDocument | null }
) & { readonly alsoChanged?: readonly AlsoChanged[] };

export type ChangeAction = 'create' | 'change' | 'delete' | 'restore';

/** Another document a change rewrote (a rename followed, a cleanup, an object's first fields). */
export interface AlsoChanged {
  readonly kind: MetadataKind;
  readonly subject: string;
  readonly before: AuditDocument | null;
  readonly after: AuditDocument | null;
}

export interface DocumentChange {
  readonly kind: MetadataKind;
  readonly action: ChangeAction;
  readonly subject: string;
  readonly before: AuditDocument | null;
  readonly after: AuditDocument | null;
  /** The metadata revision the change produced (none for a user's name or email). */
  readonly revision?: number;
  readonly alsoChanged?: readonly AlsoChanged[];
}

const PAST_TENSE = { create: 'created', change: 'changed', delete: 'deleted', restore: 'restored' } as const;

export function metadataAuditEvent(kind: MetadataKind, action: ChangeAction): MetadataAuditEvent {
  const event = `${kind}_${PAST_TENSE[action]}`;
  const events: readonly string[] = METADATA_AUDIT_EVENTS_BY_KIND[kind];
  if (!events.includes(event)) throw new Error(`no audit event for "${action}" of a ${kind}`);
  return event as MetadataAuditEvent;
}

/**
 * How the log names a document: `opportunity` (an object), `opportunity.amount` (a field, layout,
 * view, rule, workflow or approval process of it), `role:sales_rep`, `department:<id>`, `user:<id>`.
 */
export function auditSubject(kind: MetadataKind, object: string, name: string): string {
  if (kind === 'object') return name;
  return object ? `${object}.${name}` : `${kind}:${name}`;
}

export function documentChangeEntry(actor: Actor, change: DocumentChange): AuditEntry {
  return {
    actorId: actorUserId(actor),
    event: metadataAuditEvent(change.kind, change.action),
    subject: change.subject,
    details: {
      ...(change.revision === undefined ? {} : { revision: change.revision }),
      before: change.before,
      after: change.after,
      ...(change.alsoChanged?.length ? { also_changed: change.alsoChanged } : {}),
    },
  };
}

interface Located {
  readonly kind: MetadataKind;
  readonly subject: string;
  readonly document: AuditDocument;
}

/**
 * The audit entry of one metadata change, from the metadata before and after it: the document the
 * change is about, plus every other document whose stored form it changed.
 */
export function metadataChangeEntry(
  actor: Actor,
  change: { readonly kind: MetadataKind; readonly action: ChangeAction; readonly document: AuditedDocument; readonly revision: number },
  before: MetadataSnapshot,
  after: MetadataSnapshot,
  kinds: DocumentKinds,
): AuditEntry {
  const was = documentsById(before, kinds);
  const now = documentsById(after, kinds);
  const key = `${change.kind}:${change.document.id}`;
  const alsoChanged: AlsoChanged[] = [...(change.document.alsoChanged ?? [])];
  for (const id of new Set([...was.keys(), ...now.keys()])) {
    if (id === key) continue;
    const old = was.get(id);
    const current = now.get(id);
    if (JSON.stringify(old?.document) === JSON.stringify(current?.document)) continue;
    const located = (current ?? old)!;
    alsoChanged.push({ kind: located.kind, subject: located.subject, before: old?.document ?? null, after: current?.document ?? null });
  }
  const { kind, action, revision, document } = change;
  if ('before' in document) {
    return documentChangeEntry(actor, { kind, action, revision, alsoChanged, subject: auditSubject(kind, '', document.id), before: document.before, after: document.after });
  }
  const old = was.get(key);
  const current = now.get(key);
  const located = current ?? old;
  if (!located) throw new Error(`the ${kind} ${document.id} is in neither the metadata before nor after its change`);
  return documentChangeEntry(actor, { kind, action, revision, alsoChanged, subject: located.subject, before: old?.document ?? null, after: current?.document ?? null });
}

/** Every document of the metadata as the audit log shows it, by kind and id. */
function documentsById(snapshot: MetadataSnapshot, kinds: DocumentKinds): Map<string, Located> {
  const documents = new Map<string, Located>();
  const add = (kind: MetadataKind, id: string, object: string, name: string, document: AuditDocument) =>
    documents.set(`${kind}:${id}`, { kind, subject: auditSubject(kind, object, name), document });
  for (const object of snapshot.objects) {
    const name = object.definition.name;
    // An object in the recycle bin keeps its document; when it went there is part of it.
    add('object', object.id, name, name, object.deletedAt === null ? object.definition : { ...object.definition, deleted_at: object.deletedAt });
    for (const f of object.fields) add('field', f.id, name, f.definition.name, f.definition);
    for (const kind of kinds.stored()) {
      for (const d of kinds.documentsOf(object, kind)) add(kind.kind, d.id, name, d.definition.name, d.definition);
    }
  }
  for (const role of snapshot.roles) add('role', role.id, '', role.definition.name, role.definition);
  // By id: department names need not be unique, and change.
  for (const d of snapshot.departments) add('department', d.id, '', d.id, { id: d.id, name: d.name, parent_id: d.parentId });
  return documents;
}
