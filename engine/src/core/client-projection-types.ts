import type {
  DataScope,
  FieldDefinition,
  FieldPlacement,
  FormLayout,
  KanbanView,
  LayoutSection,
  ListView,
  ObjectDefinition,
  RelatedList,
  RollupField,
  DetailLayout,
  ValidationRuleDefinition,
} from '../documents/types';

/**
 * The metadata as one user's UI receives it (`GET /api/meta/client`): only what that user may see,
 * for one revision. Type-only and free of imports other than the metadata document types, so a
 * browser bundle can use it (it is meant to be re-exported from the browser-safe core). Keys are
 * snake_case like every other JSON of the API.
 */

/** A label in one language, or per language (`{"en": "Deal", "zh-CN": "交易"}`), as stored. */
export type ClientText = ObjectDefinition['label'];
/** A JSON-Logic rule, as stored. */
export type ClientRule = ValidationRuleDefinition['condition'];
export type ClientLocale = 'en' | 'zh-CN';

export interface ClientMetadata {
  /** The metadata revision this projection was cut from. */
  readonly revision: number;
  readonly user: ClientUser;
  /** The objects the user may read or create, in the order the metadata lists them. */
  readonly objects: readonly ClientObject[];
}

export interface ClientUser {
  readonly id: string;
  readonly name: string;
  readonly email: string | null;
  /** The language of this request (Accept-Language); labels below carry every language anyway. */
  readonly locale: ClientLocale;
  /** Administrators may use the metadata and administration APIs. */
  readonly admin: boolean;
  readonly roles: readonly { readonly name: string; readonly label: ClientText }[];
  readonly department: { readonly id: string; readonly name: string } | null;
}

/** What the user may do with an object's records. */
export interface ClientPermissions {
  readonly create: boolean;
  readonly read: boolean;
  readonly edit: boolean;
  readonly delete: boolean;
  readonly export: boolean;
  /** Give records to another owner: edit and an editable owner_id. */
  readonly transfer: boolean;
  /** Whose records may be read / edited and deleted (null: not granted). Shares add to the read scope. */
  readonly read_scope: DataScope | null;
  readonly edit_scope: DataScope | null;
}

/**
 * Parts of a document left out because they read a field hidden from the user: sending them
 * would let the UI (and so the user) infer the hidden value. The server still applies them.
 */
export type WithheldPart = 'default' | 'controlling_field' | 'filter' | 'relationship_field';

/**
 * The kind of value a field holds as rules see it: formula and rollup results included (a
 * rollup's min of a date field is a date). Decimal kinds are `number` here though the record API
 * writes them as exact strings.
 */
export type ClientValueKind = 'string' | 'uuid' | 'number' | 'boolean' | 'date' | 'datetime' | 'string_array' | 'json';

/** How the user may treat a field they can see (hidden fields are absent altogether). */
export type ClientFieldMode = 'editable' | 'read_only';

/** A rollup as the user sees it: its relationship field and filter only when they name nothing hidden. */
export type ClientRollupField = Omit<RollupField, 'relationship_field' | 'filter'> & {
  readonly relationship_field?: string;
  readonly filter?: ClientRule;
};

/**
 * A field: its stored definition (type and the type's settings: options with every label,
 * dependent options, scale, currency, target, result type, required, unique, default, formula
 * expression, lengths...) with what the user may do with it.
 */
export type ClientField = (Exclude<FieldDefinition, RollupField> | ClientRollupField) & {
  /** `read_only` when a role says so or nobody may set it (system, formula, rollup, autonumber, read_only fields). */
  readonly mode: ClientFieldMode;
  /** System fields (id, owner_id, created_at...) come first. */
  readonly system: boolean;
  readonly value_kind: ClientValueKind;
  /**
   * Only on lookups and master-details whose target the user may not read: the API returns such
   * a value as a bare id and refuses any record the user could pick, so the field is read-only
   * and has no picker. The target object itself stays absent from `objects`.
   */
  readonly target_readable?: false;
  /** What was left out of the definition (see WithheldPart). */
  readonly withheld?: readonly WithheldPart[];
};

/**
 * A field of a layout section. A condition that reads a hidden field is left out and marked:
 * a withheld `visible_when` shows the field always, a withheld `read_only_when` makes it
 * read-only always in forms, so neither tells the hidden value.
 */
export type ClientFieldPlacement = FieldPlacement & {
  readonly visible_when_withheld?: true;
  readonly read_only_when_withheld?: true;
};

export type ClientLayoutSection = Omit<LayoutSection, 'fields'> & {
  readonly fields: readonly ClientFieldPlacement[];
  /**
   * Set when the stored `visible_when` reads a hidden field: the condition is left out and the
   * section always shows (only fields the user may see are in it), so its visibility tells
   * nothing about the hidden value.
   */
  readonly visible_when_withheld?: true;
};

export type ClientLayout =
  | (Omit<FormLayout, 'sections'> & { readonly sections: readonly ClientLayoutSection[] })
  | (Omit<DetailLayout, 'sections' | 'related_lists'> & {
      readonly sections: readonly ClientLayoutSection[];
      /** Only lists of objects the user may read, without hidden columns or sort keys. */
      readonly related_lists?: readonly RelatedList[];
    });

/** List and kanban views without hidden columns, card fields or sort keys (see ClientObject.views). */
export type ClientView = ListView | KanbanView;

/** An active validation rule the UI can check as the server does. */
export interface ClientValidationRule {
  readonly name: string;
  readonly label?: ClientText;
  readonly condition: ClientRule;
  readonly message: ClientText;
  /** Fields the error points at (empty: the record as a whole). */
  readonly fields: readonly string[];
}

/** An active approval process of the object; per-record actions stay on the record APIs. */
export interface ClientApprovalProcess {
  readonly name: string;
  readonly label: ClientText;
  readonly description?: string;
  /** Whether the user may submit records (edit permission); the record API checks the record itself. */
  readonly may_submit: boolean;
  /** Which records may be submitted; absent when it reads a hidden field (`entry_criteria_withheld`). */
  readonly entry_criteria?: ClientRule;
  readonly entry_criteria_withheld?: true;
}

export interface ClientObject extends ObjectDefinition {
  readonly permissions: ClientPermissions;
  /** System fields first, then user fields in their order; hidden ones absent. */
  readonly fields: readonly ClientField[];
  readonly layouts: readonly ClientLayout[];
  /**
   * Views pruned of hidden fields. A view whose filter reads a hidden field, or a kanban grouped
   * by one, is left out: the records API refuses such a filter from this user, and showing it
   * without its filter would list other records than its name promises.
   */
  readonly views: readonly ClientView[];
  /** Active validation rules that read only fields the user sees. */
  readonly validation_rules: readonly ClientValidationRule[];
  /**
   * How many active rules were left out because they read a hidden field: the server checks
   * them on every write, the UI cannot (their names and messages are left out too).
   */
  readonly server_only_rules: number;
  readonly approval_processes: readonly ClientApprovalProcess[];
}
