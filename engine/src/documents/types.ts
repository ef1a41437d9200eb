/** A JSON-Logic rule: any JSON value (the same as rules/scope.ts's, which sits above this folder). */
type JsonLogicRule = unknown;
import type { I18nText } from './i18n';

/** Metadata documents as analysts and templates write them (snake_case, JSON). */

export interface ObjectDefinition {
  readonly name: string;
  readonly label: I18nText;
  readonly plural_label?: I18nText;
  readonly description?: string;
  readonly icon?: string;
  /** The field that names a record in lists, lookups and titles. */
  readonly title_field?: string;
  /** Keep a history of field changes (who, when, old, new). */
  readonly track_history?: boolean;
  /** Include this object's records in global search. */
  readonly searchable?: boolean;
}

export const FIELD_TYPES = [
  'text',
  'textarea',
  'email',
  'phone',
  'url',
  'integer',
  'decimal',
  'currency',
  'percent',
  'boolean',
  'date',
  'datetime',
  'select',
  'multiselect',
  'lookup',
  'master_detail',
  'user',
  'autonumber',
  'formula',
  'rollup',
  'json',
] as const;

export type FieldType = (typeof FIELD_TYPES)[number];

export interface FieldCommon {
  readonly name: string;
  readonly label: I18nText;
  readonly help?: I18nText;
  readonly description?: string;
  readonly required?: boolean;
  readonly unique?: boolean;
  /** A JSON-Logic rule (a plain constant is a rule too) evaluated when a record is created without a value. */
  readonly default?: JsonLogicRule;
  readonly read_only?: boolean;
  readonly searchable?: boolean;
  readonly indexed?: boolean;
}

export interface TextField extends FieldCommon {
  readonly type: 'text';
  readonly min_length?: number;
  readonly max_length?: number;
  readonly pattern?: string;
}
export interface TextareaField extends FieldCommon {
  readonly type: 'textarea';
  readonly min_length?: number;
  readonly max_length?: number;
}
export interface EmailField extends FieldCommon {
  readonly type: 'email';
}
export interface PhoneField extends FieldCommon {
  readonly type: 'phone';
}
export interface UrlField extends FieldCommon {
  readonly type: 'url';
}
export interface IntegerField extends FieldCommon {
  readonly type: 'integer';
  readonly min?: number;
  readonly max?: number;
}
export interface DecimalLikeField<T extends 'decimal' | 'currency' | 'percent'> extends FieldCommon {
  readonly type: T;
  readonly precision?: number;
  readonly scale?: number;
  readonly min?: number | string;
  readonly max?: number | string;
}
export type DecimalField = DecimalLikeField<'decimal'>;
export interface CurrencyField extends DecimalLikeField<'currency'> {
  /** ISO 4217 code, e.g. CNY or USD. */
  readonly currency_code?: string;
}
export type PercentField = DecimalLikeField<'percent'>;
export interface BooleanField extends FieldCommon {
  readonly type: 'boolean';
}
export interface DateField extends FieldCommon {
  readonly type: 'date';
  readonly min?: string;
  readonly max?: string;
}
export interface DatetimeField extends FieldCommon {
  readonly type: 'datetime';
}

export interface SelectOption {
  readonly value: string;
  readonly label: I18nText;
  readonly color?: string;
  readonly order?: number;
  /** Inactive options stay on existing records but cannot be chosen again. */
  readonly active?: boolean;
  /** Controlling-field values under which this option may be chosen (dependent picklists). */
  readonly valid_for?: readonly string[];
}
export interface SelectField extends FieldCommon {
  readonly type: 'select';
  readonly options: readonly SelectOption[];
  /** A select or boolean field whose value restricts the options here. */
  readonly controlling_field?: string;
}
export interface MultiselectField extends FieldCommon {
  readonly type: 'multiselect';
  readonly options: readonly SelectOption[];
  readonly controlling_field?: string;
  readonly max_selections?: number;
}

export type OnDelete = 'restrict' | 'set_null';
export interface LookupField extends FieldCommon {
  readonly type: 'lookup';
  /** API name of the referenced object. */
  readonly target: string;
  readonly on_delete?: OnDelete;
  /** Label of the related list on the target's record page. */
  readonly related_label?: I18nText;
}
export interface MasterDetailField extends FieldCommon {
  readonly type: 'master_detail';
  readonly target: string;
  readonly related_label?: I18nText;
}
export interface UserField extends FieldCommon {
  readonly type: 'user';
  readonly on_delete?: OnDelete;
}
export interface AutonumberField extends FieldCommon {
  readonly type: 'autonumber';
  /** Literal text around one run of zeros in braces: `OPP-{0000}`. */
  readonly pattern: string;
  readonly start_at?: number;
}
export type FormulaResultType = 'text' | 'number' | 'boolean' | 'date' | 'datetime';
export interface FormulaField extends FieldCommon {
  readonly type: 'formula';
  readonly expression: JsonLogicRule;
  readonly result_type: FormulaResultType;
  /** Digits after the decimal point for number results. */
  readonly scale?: number;
  /** ISO 4217 code: a number result is money in this currency (display only). */
  readonly currency_code?: string;
}
export type RollupAggregate = 'count' | 'sum' | 'min' | 'max';
export interface RollupField extends FieldCommon {
  readonly type: 'rollup';
  /** The child object whose records are aggregated. */
  readonly child_object: string;
  /** The child's lookup or master-detail field pointing at this object. */
  readonly relationship_field: string;
  readonly aggregate: RollupAggregate;
  /** The child field aggregated by sum, min and max. */
  readonly aggregate_field?: string;
  /** Only children matching this JSON-Logic filter count. */
  readonly filter?: JsonLogicRule;
}
export interface JsonField extends FieldCommon {
  readonly type: 'json';
}

export type FieldDefinition =
  | TextField
  | TextareaField
  | EmailField
  | PhoneField
  | UrlField
  | IntegerField
  | DecimalField
  | CurrencyField
  | PercentField
  | BooleanField
  | DateField
  | DatetimeField
  | SelectField
  | MultiselectField
  | LookupField
  | MasterDetailField
  | UserField
  | AutonumberField
  | FormulaField
  | RollupField
  | JsonField;

export type FieldOfType<T extends FieldType> = Extract<FieldDefinition, { type: T }>;

// ---- Layouts (a separate union from fields) ----

export interface FieldPlacement {
  readonly field: string;
  /** Columns the field spans within its section. */
  readonly span?: number;
  readonly required?: boolean;
  readonly read_only?: boolean;
  /** JSON-Logic over the record: the field shows only while it holds (a hidden field keeps its value). */
  readonly visible_when?: JsonLogicRule;
  /** JSON-Logic over the record: the field cannot be changed in the form while it holds. */
  readonly read_only_when?: JsonLogicRule;
}
export interface LayoutSection {
  readonly label?: I18nText;
  readonly columns: 1 | 2 | 3 | 4;
  readonly fields: readonly FieldPlacement[];
  /** JSON-Logic over the record: the section shows only while it holds. */
  readonly visible_when?: JsonLogicRule;
  readonly collapsed?: boolean;
}
export interface RelatedList {
  /** Child object listed. */
  readonly object: string;
  /** The child's lookup or master-detail field pointing at this object. */
  readonly field: string;
  readonly label?: I18nText;
  readonly columns: readonly string[];
  readonly sort?: readonly SortSpec[];
  readonly limit?: number;
}
export interface FormLayout {
  readonly name: string;
  readonly type: 'form';
  readonly label?: I18nText;
  readonly sections: readonly LayoutSection[];
}
export interface DetailLayout {
  readonly name: string;
  readonly type: 'detail';
  readonly label?: I18nText;
  readonly sections: readonly LayoutSection[];
  readonly related_lists?: readonly RelatedList[];
}
export type LayoutDefinition = FormLayout | DetailLayout;

// ---- Views ----

export interface SortSpec {
  readonly field: string;
  readonly direction?: 'asc' | 'desc';
}
export interface ListView {
  readonly name: string;
  readonly type: 'list';
  readonly label?: I18nText;
  readonly columns: readonly string[];
  readonly filter?: JsonLogicRule;
  readonly sort?: readonly SortSpec[];
  readonly page_size?: number;
}
export interface KanbanView {
  readonly name: string;
  readonly type: 'kanban';
  readonly label?: I18nText;
  /** A select field: one column per option. */
  readonly group_by: string;
  readonly card_fields: readonly string[];
  readonly filter?: JsonLogicRule;
  readonly sort?: readonly SortSpec[];
}
export type ViewDefinition = ListView | KanbanView;

// ---- Validation rules ----

/**
 * A condition every create and update of the object's records must satisfy. `condition` reads
 * the record as it will be stored, `$old.<field>` (the stored record before an update; null on
 * create), `$user.*`, `$now` and `$today`; a falsy result refuses the write with `message`.
 */
export interface ValidationRuleDefinition {
  readonly name: string;
  readonly label?: I18nText;
  readonly description?: string;
  /** JSON-Logic that must hold (be truthy) for the write to pass. */
  readonly condition: JsonLogicRule;
  readonly message: I18nText;
  /** Fields the error points at; empty (the default when left out): the record as a whole. */
  readonly fields: readonly string[];
  /** Inactive rules are kept but never run (default true). */
  readonly active?: boolean;
}

// ---- Roles (access control) ----

/** Whose records a permission reaches, by owner: narrowest first. */
export const DATA_SCOPES = ['own', 'department', 'department_and_below', 'all'] as const;
export type DataScope = (typeof DATA_SCOPES)[number];

export type FieldAccessMode = 'hidden' | 'read_only' | 'editable';

export interface ObjectPermission {
  readonly create?: boolean;
  readonly read?: boolean;
  readonly edit?: boolean;
  readonly delete?: boolean;
  readonly export?: boolean;
  /** Records readable: by owner (default all). Shares add to it. */
  readonly read_scope?: DataScope;
  /** Records editable and deletable (default: the read scope); never wider than it. */
  readonly edit_scope?: DataScope;
  /** Fields not listed are editable. */
  readonly fields?: Readonly<Record<string, FieldAccessMode>>;
}

export interface RoleDefinition {
  readonly name: string;
  readonly label: I18nText;
  readonly description?: string;
  /** Administrators may do everything, including managing metadata, users and roles. */
  readonly admin?: boolean;
  /** Per object API name; `*` applies to objects not listed. */
  readonly objects: Readonly<Record<string, ObjectPermission>>;
}
