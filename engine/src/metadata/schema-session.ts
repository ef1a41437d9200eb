import { sql, type QueryExecutorProvider } from 'kysely';

/** The schema of record tables (one table per object). */
export const DATA_SCHEMA = 'crm_data';

/**
 * What a metadata change does to the database, as data: the studio shows it before the change
 * runs ("adds a column; no rewrite", "converts 1,203 rows of text to integer; 3 rows cannot
 * convert"), and `?dry_run=true` answers with it.
 */
export const SCHEMA_OPERATIONS = [
  'create_table',
  'rename_table',
  'drop_table',
  'add_column',
  'drop_column',
  'rename_column',
  'convert_column',
  'update_rows',
  'add_foreign_key',
  'drop_constraint',
  'create_index',
  'create_unique_index',
  'drop_index',
  'analyze_table',
  'check_unique_values',
  'initialize_autonumber',
  'backfill_rollup',
  'schedule_workflow',
] as const;
export type SchemaOperationKind = (typeof SCHEMA_OPERATIONS)[number];

export interface SchemaOperation {
  readonly op: SchemaOperationKind;
  /** The record table (without schema), when the operation is on one. */
  readonly table?: string;
  readonly column?: string;
  /** The index or constraint the operation creates or drops. */
  readonly index?: string;
  /** PostgreSQL rewrites the whole table (ALTER COLUMN TYPE): the table is locked for the duration. */
  readonly rewrites: boolean;
  /** Rows the operation reads or writes (records in the table, recycle bin included), where it touches rows. */
  readonly rows?: number;
  /** Rows that cannot take the change as asked (a conversion that would lose data). */
  readonly failing_rows?: number;
  /** Type change of convert_column. */
  readonly from?: string;
  readonly to?: string;
  /** A workflow whose schedules are set up. */
  readonly workflow?: string;
}

/** How an operation is carried out; `touchesRows` operations are not run by a dry run (they scan or rewrite a table). */
interface Step {
  readonly touchesRows: boolean;
  readonly apply: (db: QueryExecutorProvider) => Promise<unknown>;
}

/**
 * The schema side of one metadata change, inside its transaction. Every DDL statement and every
 * row-wide statement goes through `run`, which records it as a SchemaOperation.
 *
 * A dry run still runs the catalogue-only operations (add/rename/drop a column, NOT VALID foreign
 * keys), because later steps read the schema they leave (a conversion counts rows of the renamed
 * column); the transaction is rolled back afterwards. It skips what scans or rewrites a table
 * (conversions, index builds, backfills), so a dry run on a large table is quick and does not hold
 * its lock for long.
 */
export class SchemaSession {
  readonly #operations: SchemaOperation[] = [];
  readonly #rowCounts = new Map<string, number>();

  constructor(
    readonly db: QueryExecutorProvider,
    readonly dryRun: boolean,
  ) {}

  get operations(): readonly SchemaOperation[] {
    return this.#operations;
  }

  /** An operation that is only a check (its query runs in a dry run too), or one refused before it could run. */
  note(operation: SchemaOperation): void {
    this.#operations.push(operation);
  }

  async run(operation: SchemaOperation, step: Step): Promise<void> {
    this.#operations.push(operation);
    if (this.dryRun && step.touchesRows) return;
    await step.apply(this.db);
  }

  /**
   * Records in a table, counted once per change (only dry runs count: a real change does not pay
   * a full count for a figure nobody reads). A table this change creates has none.
   */
  async rows(table: string): Promise<number | undefined> {
    if (!this.dryRun) return undefined;
    const known = this.#rowCounts.get(table);
    if (known !== undefined) return known;
    if (this.#operations.some((o) => o.op === 'create_table' && o.table === table)) return 0;
    const counted = await sql<{ n: number }>`select count(*)::int as n from ${sql.table(`${DATA_SCHEMA}.${table}`)}`.execute(this.db);
    const n = Number(counted.rows[0]?.n ?? 0);
    this.#rowCounts.set(table, n);
    return n;
  }
}
