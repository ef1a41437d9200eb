import type { CompiledMetadata } from '../metadata/compile';
import type { CompiledObject } from '../metadata/compiled';
import type { DataScope, FieldAccessMode } from '../metadata/types';
import { aggregateOf } from '../field-types';
import { FULL_GRANT, mergeGrant, NO_GRANT, type ObjectGrant, type Operation, type TokenScopes } from './permissions';

/** Who an actor is, as far as access is concerned (loaded once per actor and metadata revision). */
export interface AccessSubject {
  readonly userId: string;
  /** The system actor and administrators pass every check. */
  readonly unrestricted: boolean;
  readonly admin: boolean;
  readonly active: boolean;
  readonly departmentId: string | null;
  readonly roleNames: readonly string[];
  readonly tokenScopes: TokenScopes | undefined;
  /** Owners whose records each scope reaches. */
  readonly owners: Readonly<Record<Exclude<DataScope, 'all'>, readonly string[]>>;
  /** Departments whose shares reach this user: their own and every one above it. */
  readonly shareDepartmentIds: readonly string[];
}

/** One object as one actor may use it. */
export interface ObjectAccess extends ObjectGrant {
  readonly object: CompiledObject;
  mode(field: string): FieldAccessMode;
  /** Fields the actor may not see, including computed fields that would reveal them. */
  readonly hidden: ReadonlySet<string>;
  /** Whether `op` is granted. */
  may(op: Operation): boolean;
}

/**
 * An actor's effective permissions at one metadata revision. Computed lazily per object and
 * memoised: the record pipeline asks on every call.
 */
export class ActorAccess {
  readonly #objects = new Map<string, ObjectAccess>();

  constructor(
    readonly metadata: CompiledMetadata,
    readonly subject: AccessSubject,
  ) {}

  get userId(): string {
    return this.subject.userId;
  }

  get unrestricted(): boolean {
    return this.subject.unrestricted;
  }

  /** Owner ids a scope reaches, or null for every record. */
  owners(scope: DataScope): readonly string[] | null {
    return scope === 'all' ? null : this.subject.owners[scope];
  }

  object(name: string): ObjectAccess {
    let access = this.#objects.get(name);
    if (!access) {
      access = this.#build(this.metadata.object(name), new Set());
      this.#objects.set(name, access);
    }
    return access;
  }

  #grant(objectName: string): ObjectGrant {
    if (!this.subject.active) return NO_GRANT;
    if (this.subject.unrestricted && !this.subject.tokenScopes) return FULL_GRANT;
    const roles = this.subject.unrestricted
      ? [{ name: 'full', label: 'full', objects: { '*': { create: true, read: true, edit: true, delete: true, export: true } } }]
      : this.subject.roleNames.map((name) => this.metadata.security.roles.get(this.metadata.security.roleIdsByName.get(name)!)!).filter(Boolean);
    return mergeGrant(roles, objectName, this.subject.tokenScopes);
  }

  #build(object: CompiledObject, visiting: Set<string>): ObjectAccess {
    const grant = this.#grant(object.name);
    const hidden = new Set<string>();
    for (const [field, mode] of grant.fieldModes) if (mode === 'hidden') hidden.add(field);
    visiting.add(object.name);
    // A rollup reveals its children: hidden when they are unreadable or their aggregated field is hidden.
    for (const field of object.userFields) {
      const def = aggregateOf(field.definition);
      if (!def || visiting.has(def.child_object)) continue;
      const child = this.metadata.findObject(def.child_object);
      const childAccess = child ? (this.#objects.get(def.child_object) ?? this.#build(child, visiting)) : undefined;
      if (!childAccess?.read || (def.aggregate_field && childAccess.hidden.has(def.aggregate_field))) hidden.add(field.name);
    }
    // A formula reveals what it reads: hidden when it reads a hidden field (formulas read formulas, so repeat).
    let grew = true;
    while (grew) {
      grew = false;
      for (const formula of object.formulas) {
        if (hidden.has(formula.field.name)) continue;
        if (formula.reads.some((name) => hidden.has(name))) {
          hidden.add(formula.field.name);
          grew = true;
        }
      }
    }
    visiting.delete(object.name);
    const modes = grant.fieldModes;
    return Object.freeze({
      ...grant,
      object,
      hidden,
      mode: (field: string): FieldAccessMode => (hidden.has(field) ? 'hidden' : (modes.get(field) ?? 'editable')),
      may: (op: Operation) => grant[op],
    });
  }
}
