import { sql, type Kysely, type QueryExecutorProvider } from 'kysely';
import { actorUserId, assertActor, type Actor } from '../actors';
import type { Notification } from '../core/notification-types';
import type { SystemDatabase } from '../db/system-tables';
import { CrmError, reason, validationError, type Locale } from '../errors';
import { isUuid, newId } from '../metadata/ids';
import { Slot } from '../records/prepared';
import type { Rider } from '../records/statements';

/**
 * In-app notifications: a message for one user, optionally about a record (its object and id, so
 * a UI can link to it), read or not. Workflows post them (the notify action) in the transaction
 * of the write that caused them; each user reads and marks only their own. Their API shape,
 * Notification, is in core (the UIs share it).
 */
export type { Notification };

/** A notification's title and body in languages other than English, by locale. */
export type NotificationTranslations = Readonly<Partial<Record<Locale, { readonly title: string; readonly body: string | null }>>>;

export interface NewNotification {
  readonly userId: string;
  /** In English; `translations` holds the other languages (a reader of one gets it). */
  readonly title: string;
  readonly body?: string | null;
  readonly translations?: NotificationTranslations | null;
  readonly object?: string | null;
  readonly recordId?: string | null;
  readonly workflow?: string | null;
}

export interface NotificationQuery {
  /** Only unread ones. */
  readonly unread?: boolean;
  /** 1-500, default 50. Newest first. */
  readonly limit?: number;
}

const MAX_LIMIT = 500;
const COLUMNS = ['id', 'title', 'body', 'object', 'record_id', 'workflow', 'created_at', 'read_at', 'translations'] as const;

type StoredNotification = Notification & { readonly translations: NotificationTranslations | null };

/** The notification as a reader of `locale` gets it: the title and body of their language, else English. */
function inLocale({ translations, ...notification }: StoredNotification, locale: Locale): Notification {
  const text = translations?.[locale];
  return text ? { ...notification, title: text.title, body: text.body } : notification;
}

function translationsJson(n: NewNotification): string | null {
  return n.translations && Object.keys(n.translations).length > 0 ? JSON.stringify(n.translations) : null;
}

/** Posts notifications in the caller's transaction, one statement for all of them. */
export async function postNotifications(db: QueryExecutorProvider, notifications: readonly NewNotification[]): Promise<void> {
  if (notifications.length === 0) return;
  const rows = notifications.map(
    (n) => sql`(${newId()}::uuid, ${n.userId}::uuid, ${n.title}, ${n.body ?? null}, ${n.object ?? null}, ${n.recordId ?? null}::uuid, ${n.workflow ?? null}, ${translationsJson(n)}::jsonb)`,
  );
  await sql`insert into crm_meta.notifications (id, user_id, title, body, object, record_id, workflow, translations) values ${sql.join(rows)}`.execute(db);
}

/** The same rows as a rider of a record's INSERT (notifications planned before a create): a shape per number of rows. */
export function notificationsRider(notifications: readonly NewNotification[]): Rider {
  return {
    key: `notifications:${notifications.length}`,
    build: (first) => {
      const rows = notifications.map((_, i) => {
        const s = (offset: number, type: string) => sql`${new Slot(first + i * 8 + offset)}::${sql.raw(type)}`;
        return sql`(${s(0, 'uuid')}, ${s(1, 'uuid')}, ${s(2, 'text')}, ${s(3, 'text')}, ${s(4, 'text')}, ${s(5, 'uuid')}, ${s(6, 'text')}, ${s(7, 'jsonb')})`;
      });
      return sql`insert into crm_meta.notifications (id, user_id, title, body, object, record_id, workflow, translations) values ${sql.join(rows)}`;
    },
    values: notifications.flatMap((n) => [newId(), n.userId, n.title, n.body ?? null, n.object ?? null, n.recordId ?? null, n.workflow ?? null, translationsJson(n)]),
  };
}

export class NotificationService {
  constructor(private readonly db: Kysely<SystemDatabase>) {}

  /** The caller's own notifications, newest first, in the caller's language. */
  async list(actor: Actor, query: NotificationQuery = {}, locale: Locale = 'en'): Promise<Notification[]> {
    assertActor(actor);
    const limit = query.limit ?? 50;
    if (!Number.isInteger(limit) || limit < 1 || limit > MAX_LIMIT) throw validationError([{ path: 'limit', code: 'invalid', params: { reason: reason('must_be_range', { min: 1, max: MAX_LIMIT }) } }]);
    let select = this.db.selectFrom('crm_meta.notifications').select([...COLUMNS]).where('user_id', '=', actorUserId(actor));
    if (query.unread) select = select.where('read_at', 'is', null);
    const rows = await select.orderBy('created_at', 'desc').orderBy('id', 'desc').limit(limit).execute();
    return rows.map((row) => inLocale(row, locale));
  }

  /** Marks one of the caller's notifications read (again: keeps the first time); someone else's is 404. */
  async markRead(actor: Actor, id: string, locale: Locale = 'en'): Promise<Notification> {
    assertActor(actor);
    if (!isUuid(id)) throw new CrmError('notification_not_found', { id });
    const updated = await this.db
      .updateTable('crm_meta.notifications')
      .set({ read_at: sql<string>`coalesce(read_at, now())` })
      .where('id', '=', id.toLowerCase())
      .where('user_id', '=', actorUserId(actor))
      .returning([...COLUMNS])
      .executeTakeFirst();
    if (!updated) throw new CrmError('notification_not_found', { id });
    return inLocale(updated, locale);
  }

  /** Marks all of the caller's unread notifications read, in one statement; answers how many. */
  async markAllRead(actor: Actor): Promise<{ marked: number }> {
    assertActor(actor);
    const result = await this.db
      .updateTable('crm_meta.notifications')
      .set({ read_at: sql<string>`now()` })
      .where('user_id', '=', actorUserId(actor))
      .where('read_at', 'is', null)
      .executeTakeFirst();
    return { marked: Number(result.numUpdatedRows) };
  }
}
