import type { Locale } from '../errors';

/** A template, or one per language: each reader gets theirs (else English, else any). */
export type LocalizedTemplate = string | Readonly<Partial<Record<Locale, string>>>;
import type { FieldAssignments } from '../assignments';
import type { I18nText } from '../metadata/i18n';
import type { JsonLogicRule } from '../rules/scope';

/**
 * Workflow documents (metadata, one per workflow and object, like validation rules). A workflow
 * is a trigger and a list of actions. Every rule in it is JSON-Logic over the record that
 * triggered it (with `$old.<field>` on record triggers, `$user`, `$now`, `$today`).
 */

/** Record events a workflow can react to. */
export const RECORD_EVENTS = ['created', 'updated', 'deleted', 'restored'] as const;
export type RecordEventName = (typeof RECORD_EVENTS)[number];

/**
 * Runs in the write's transaction when one of `events` happens to a record. On update, `fields`
 * (if given) limits it to writes that changed one of them; `condition` must hold on the record
 * as written (`$old` is the record before an update); with `becomes_true` it must also have
 * been false on `$old` (on create: there is no `$old`, so true now is enough).
 */
export interface RecordTrigger {
  readonly type: 'record';
  readonly events: readonly RecordEventName[];
  readonly fields?: readonly string[];
  readonly condition?: JsonLogicRule;
  readonly becomes_true?: boolean;
}

/**
 * Runs once per record at `field` + `offset` `unit`s (negative: before), planned when the
 * record is created or restored, re-planned when the date (or the condition) changes, dropped
 * when the record is deleted or the condition stops holding. A date field counts from 00:00 UTC.
 */
export interface DateTrigger {
  readonly type: 'date';
  readonly field: string;
  readonly offset?: number;
  readonly unit?: 'minutes' | 'hours' | 'days';
  readonly condition?: JsonLogicRule;
}

/** Runs at every tick of a cron expression, once for every live record that `filter` selects (in SQL). */
export interface ScheduleTrigger {
  readonly type: 'schedule';
  /** Five fields (minute hour day month weekday), or six with seconds first. */
  readonly cron: string;
  /** IANA time zone of the cron expression (default UTC). */
  readonly timezone?: string;
  readonly filter?: JsonLogicRule;
  /**
   * Only records whose date or datetime `field` is earlier than the tick minus `days` (JSON-Logic
   * has no date arithmetic): "no activity for 7 days" is `{"field": "last_activity_at", "days": 7}`.
   */
  readonly older_than?: { readonly field: string; readonly days: number };
}

export type WorkflowTrigger = RecordTrigger | DateTrigger | ScheduleTrigger;

/** Who gets a record, when assigning an owner. */
export type Assignee =
  | { readonly user_id: string }
  /** The next active holder of a role, or member of a department, in turn (a counter per action). */
  | { readonly round_robin: { readonly role: string } | { readonly department_id: string } };

interface ActionBase {
  /** Names the action in errors and the run log (default: its position and type). */
  readonly name?: string;
}

export type WorkflowAction = ActionBase &
  (
    | {
        readonly type: 'update_record';
        /** A lookup or master-detail field of the record: update the record it points at (default: the record itself). */
        readonly target?: string;
        readonly values: FieldAssignments;
      }
    | { readonly type: 'create_record'; readonly object: string; readonly values: FieldAssignments }
    | ({ readonly type: 'assign_owner' } & (
        | Assignee
        /** The first rule whose `when` holds decides; `otherwise` when none does (else the owner stays). */
        | { readonly rules: readonly (Assignee & { readonly when: JsonLogicRule })[]; readonly otherwise?: Assignee }
      ))
    | {
        readonly type: 'add_share';
        readonly user_id?: string;
        readonly department_id?: string;
        /** A user field of the record (owner_id included). */
        readonly field?: string;
        readonly access: 'read' | 'edit';
      }
    | {
        readonly type: 'notify';
        readonly recipients: readonly Recipient[];
        /** Mustache templates over the record's fields: one, or one per language (`{"en": ..., "zh-CN": ...}`). */
        readonly title: LocalizedTemplate;
        readonly body?: LocalizedTemplate;
      }
    | {
        readonly type: 'send_email';
        /** Addresses, or `{ "field": ... }`: an email field of the record, or a user field (that user's email). */
        readonly to: readonly (string | { readonly field: string })[];
        readonly cc?: readonly (string | { readonly field: string })[];
        readonly subject: string;
        readonly text?: string;
        readonly html?: string;
        /** The language the record's values are written in (`{{amount}}`, `{{stage}}`...); default en. */
        readonly locale?: Locale;
      }
    | {
        readonly type: 'webhook';
        readonly url: string;
        /** The JSON body: `{key: rule}` evaluated on the record; default `{workflow, event, object, record, old, run_id}`. */
        readonly body?: Readonly<Record<string, JsonLogicRule>>;
      }
    | { readonly type: 'submit_for_approval'; readonly process?: string; readonly comment?: string }
  );

export type Recipient = { readonly user_id: string } | { readonly field: string } | { readonly role: string };

export type WorkflowActionType = WorkflowAction['type'];

export interface WorkflowDefinition {
  readonly name: string;
  readonly label?: I18nText;
  readonly description?: string;
  /** Inactive workflows are kept but never run (default true). */
  readonly active?: boolean;
  readonly trigger: WorkflowTrigger;
  readonly actions: readonly WorkflowAction[];
}
