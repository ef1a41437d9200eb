import type { Kysely } from 'kysely';
import type { SystemDatabase } from '../db/system-tables';
import { CrmError, reason, validationError, type Locale } from '../errors';
import { LOCALES } from '../errors/catalogue';
import { isUuid } from '../metadata/ids';
import { recordAudit } from '../db/audit-entries';
import { recordPredicateById } from '../security/record-predicates';
import { checkExpand, expandReferences } from './expand';
import { exportLines, type ExportFormat } from './export';
import { BYTE_ORDER_MARK, readableLines, referenceColumns } from './readable-export';
import { readFieldHistory, type FieldChange } from './field-history';
import { requireOperation } from './guards';
import { groupTotals, type GroupOptions, type GroupTotal } from './group-totals';
import { checkFieldSelection, countRecordsUpTo, listRecords, visibleSelection, type ListOptions, type ListResult } from './list-query';
import { listAccess, type CallScope } from './record-scope';
import { columnsFor, outputRecord, type RecordData } from './representation';
import { selectLiveRow, selectVisibleRow } from './statements';
import { applyVisibleRollups } from './visible-rollups';

export interface GetOptions {
  readonly fields?: readonly string[];
  /** Reference fields to return as the referenced records instead of ids. */
  readonly expand?: readonly string[];
  /** Also find the record in the recycle bin. */
  readonly includeDeleted?: boolean;
}

export type RecordListOptions = ListOptions & { readonly expand?: readonly string[] };

export interface ExportOptions {
  readonly format?: ExportFormat;
  /** A CSV for people in this language (readable-export.ts): labels, titles, names, yes/no, a byte-order mark. */
  readonly labels?: Locale;
  readonly filter?: unknown;
  readonly sort?: ListOptions['sort'];
  readonly fields?: readonly string[];
}

/** One export stops here (and says so in the audit entry): larger extracts belong to a reporting job. */
const MAX_EXPORT = 100_000;

/**
 * The reading half of the record service: one record, a page, an export, a record's field
 * history. Every read carries the actor's record visibility as SQL and leaves out the fields
 * hidden from them.
 */
export class RecordReads {
  constructor(
    private readonly db: Kysely<SystemDatabase>,
    private readonly exportMaxRows = MAX_EXPORT,
  ) {}

  async get(scope: CallScope, id: string, options: GetOptions = {}): Promise<RecordData> {
    const { object, access } = scope;
    requireOperation(access, 'read');
    const select = visibleSelection(object, checkFieldSelection(object, options.fields, access.hidden), access.hidden);
    const expand = checkExpand(object, options.expand?.filter((f) => !access.hidden.has(f)));
    if (!isUuid(id)) throw new CrmError('record_not_found', { object: object.name, id });
    // By id: an approver also reads the record they are asked to decide on (the approval grant).
    const predicate = recordPredicateById(scope.actor, object.name);
    const columns = columnsFor(object, select);
    const includeDeleted = options.includeDeleted === true;
    const row = predicate
      ? await selectVisibleRow(this.db, object, id, columns, includeDeleted, predicate)
      : await selectLiveRow(this.db, object, id, columns, includeDeleted);
    if (!row) throw new CrmError('record_not_found', { object: object.name, id });
    const record = outputRecord(object, row, scope.context, select);
    await applyVisibleRollups(this.db, scope.actor, object, [record]);
    if (expand.length) await expandReferences(this.db, scope.actor, object, [record], expand.filter((f) => !select || select.has(f)), scope.context);
    return record;
  }

  async list(scope: CallScope, options: RecordListOptions = {}): Promise<ListResult> {
    const { object, access } = scope;
    requireOperation(access, 'read');
    const expand = checkExpand(object, options.expand?.filter((f) => !access.hidden.has(f)));
    const page = await listRecords(this.db, object, options, scope.context, listAccess(scope));
    await applyVisibleRollups(this.db, scope.actor, object, page.data);
    if (expand.length) {
      const selected = options.fields ? new Set(options.fields) : undefined;
      await expandReferences(this.db, scope.actor, object, page.data, expand.filter((f) => !selected || selected.has(f)), scope.context);
    }
    return page;
  }
  /** Per value of a field, the number of records of the list (and a sum): a board's column totals. */
  async groups(scope: CallScope, options: GroupOptions): Promise<GroupTotal[]> {
    requireOperation(scope.access, 'read');
    return groupTotals(this.db, scope.object, options, scope.context, listAccess(scope));
  }


  /**
   * Exports what the actor may read, as they may see it (their record scope, without hidden
   * fields): one page of SQL at a time, so memory stays flat. Needs the export permission; the
   * export is audited once it has been read to the end.
   */
  async *export(scope: CallScope, options: ExportOptions = {}): AsyncGenerator<string> {
    requireOperation(scope.access, 'export');
    const format = options.format ?? 'csv';
    if (format !== 'csv' && format !== 'ndjson') throw validationError([{ path: 'format', code: 'invalid', params: { reason: reason('must_be_choice', { choices: ['csv', 'ndjson'] }) } }]);
    const labels = options.labels;
    if (labels !== undefined && !LOCALES.includes(labels)) throw validationError([{ path: 'labels', code: 'invalid', params: { reason: reason('must_be_choice', { choices: [...LOCALES] }) } }]);
    if (labels !== undefined && format !== 'csv') throw validationError([{ path: 'labels', code: 'invalid', params: { reason: reason('only_for_operation', { operation: 'csv' }) } }]);
    const visible = visibleSelection(scope.object, checkFieldSelection(scope.object, options.fields, scope.access.hidden), scope.access.hidden);
    const columns = scope.object.fields.map((f) => f.name).filter((name) => (visible ? visible.has(name) : true) && (!options.fields || options.fields.includes(name) || name === 'id'));
    const access = listAccess(scope);
    // Refused before the first byte: a cut-off file would look complete to whoever opens it.
    const max = this.exportMaxRows;
    const size = await countRecordsUpTo(this.db, scope.object, { filter: options.filter }, scope.context, access, max + 1);
    if (size > max) throw new CrmError('export_too_large', { max: max.toLocaleString('en') });
    let cursor: string | undefined;
    let count = 0;
    do {
      const page = await listRecords(
        this.db,
        scope.object,
        { filter: options.filter, sort: options.sort, fields: columns, limit: 500, ...(cursor ? { cursor } : {}) },
        scope.context,
        access,
      );
      await applyVisibleRollups(this.db, scope.actor, scope.object, page.data);
      if (labels === undefined) yield exportLines(format, columns, page.data, count === 0);
      else {
        await expandReferences(this.db, scope.actor, scope.object, page.data, referenceColumns(scope.object, columns), scope.context);
        yield (count === 0 ? BYTE_ORDER_MARK : '') + readableLines(scope.metadata, scope.object, columns, page.data, labels, count === 0);
      }
      count += page.data.length;
      cursor = page.next_cursor ?? undefined;
    } while (cursor && count < max);
    await recordAudit(this.db, {
      actorId: scope.context.user.id,
      event: 'export',
      subject: scope.object.name,
      details: { format, count, filter: options.filter ?? null, fields: columns, ...(labels ? { labels } : {}) },
    });
  }

  /** The field history of a record the actor can read, without the fields they may not see. */
  async history(scope: CallScope, id: string): Promise<FieldChange[]> {
    await this.get(scope, id, { fields: ['id'], includeDeleted: true });
    return readFieldHistory(this.db, scope.object, id, scope.access.hidden);
  }
}
