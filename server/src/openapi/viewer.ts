import { createHash } from 'node:crypto';
import { OPERATIONS, type ActorAccess, type Operation } from '@crm/engine';

/**
 * Who a document is built for. The document describes only what its viewer may use: the engine
 * hides objects and fields from people (roles, token scopes), and a description listing them
 * would tell those people what is hidden from them. A Viewer is the part of an actor's access
 * that shapes the document, and nothing else (record scopes, for instance, change which records
 * someone sees, never the shape of one), so that everyone with the same effective access shares
 * one built document.
 */

/** One object as a viewer may use it. */
export interface ObjectView {
  readonly may: Readonly<Record<Operation, boolean>>;
  /** Fields the viewer never sees: hidden by a role, or computed from something hidden. */
  readonly hidden: ReadonlySet<string>;
  /** Writable fields a role makes read-only for the viewer: returned, never accepted. */
  readonly readOnly: ReadonlySet<string>;
}

export interface Viewer {
  /** `anonymous`: no credentials; the document then describes the API without any object. */
  readonly kind: 'anonymous' | 'user';
  /** Whether the administration routes (metadata changes, users, departments, roles, audit) are described. */
  readonly administration: boolean;
  /** Whether creating API tokens is described (a scoped token may not create tokens). */
  readonly createsTokens: boolean;
  /** `all`: every live object with everything on it; otherwise only the objects listed. */
  readonly objects: 'all' | ReadonlyMap<string, ObjectView>;
  /** A digest of everything above: equal signatures, equal documents (for one metadata revision). */
  readonly signature: string;
}

const EVERY_OPERATION: Readonly<Record<Operation, boolean>> = Object.freeze({ create: true, read: true, edit: true, delete: true, export: true });
const NONE: ReadonlySet<string> = new Set();

/** An object as an administrator (or anonymous readers of the API surface) sees it. */
export const FULL_OBJECT_VIEW: ObjectView = Object.freeze({ may: EVERY_OPERATION, hidden: NONE, readOnly: NONE });

function describe(viewer: Omit<Viewer, 'signature'>): string {
  const head = `${viewer.kind};admin=${Number(viewer.administration)};tokens=${Number(viewer.createsTokens)}`;
  if (viewer.objects === 'all') return `${head};all`;
  // API names are [a-z0-9_], so these separators cannot occur inside a part.
  const objects = [...viewer.objects]
    .sort(([a], [b]) => (a < b ? -1 : 1))
    .map(([name, view]) =>
      [name, OPERATIONS.filter((op) => view.may[op]).join(','), [...view.hidden].sort().join(','), [...view.readOnly].sort().join(',')].join(':'),
    );
  return [head, ...objects].join(';');
}

function viewer(parts: Omit<Viewer, 'signature'>): Viewer {
  return Object.freeze({ ...parts, signature: createHash('sha256').update(describe(parts)).digest('base64url') });
}

/** Someone who may do everything: administrators, and what tests and tools build by default. */
export const FULL_ACCESS: Viewer = viewer({ kind: 'user', administration: true, createsTokens: true, objects: 'all' });

/** A caller without credentials: the API surface (auth, metadata, administration, health), no object. */
export const ANONYMOUS: Viewer = viewer({ kind: 'anonymous', administration: true, createsTokens: true, objects: new Map() });

/** What `viewer` may do with an object, or undefined when it is not theirs to see. */
export function objectView(viewer: Viewer, objectName: string): ObjectView | undefined {
  return viewer.objects === 'all' ? FULL_OBJECT_VIEW : viewer.objects.get(objectName);
}

function objectViews(access: ActorAccess): Map<string, ObjectView> {
  const views = new Map<string, ObjectView>();
  for (const object of access.metadata.objects()) {
    const grant = access.object(object.name);
    // Mirrors the engine's `usable` (objects/object-service.ts): an object nobody may read or create does not exist for them.
    if (!grant.read && !grant.create) continue;
    // Roles may name fields that no longer exist; only real ones shape the document (and its signature).
    const hidden = new Set([...grant.hidden].filter((name) => object.fieldsByName.has(name)));
    const readOnly = new Set(object.fields.filter((f) => f.writable && !hidden.has(f.name) && grant.mode(f.name) === 'read_only').map((f) => f.name));
    const may = Object.fromEntries(OPERATIONS.map((op) => [op, grant.may(op)])) as Record<Operation, boolean>;
    views.set(object.name, Object.freeze({ may: Object.freeze(may), hidden, readOnly }));
  }
  return views;
}

function viewerFrom(access: ActorAccess): Viewer {
  const scoped = Boolean(access.subject.tokenScopes);
  // Mirrors Administration.isAdmin: a scoped token never administers, whoever holds it.
  const administration = access.subject.admin && !scoped;
  if (access.unrestricted && !scoped) return FULL_ACCESS;
  return viewer({ kind: 'user', administration, createsTokens: !scoped, objects: objectViews(access) });
}

// The engine hands out one ActorAccess per actor and metadata revision, so the walk over every
// object happens once per actor and revision, not once per request.
const viewers = new WeakMap<ActorAccess, Viewer>();

/** The viewer an actor's access makes. */
export function viewerOf(access: ActorAccess): Viewer {
  let found = viewers.get(access);
  if (!found) {
    found = viewerFrom(access);
    viewers.set(access, found);
  }
  return found;
}
