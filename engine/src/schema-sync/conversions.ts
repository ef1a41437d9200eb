import { sql, type RawBuilder } from 'kysely';
import { reason, type Reason } from '../errors';
import type { ColumnType, Storage } from '../field-types';
import type { ConversionStrategy } from './conversion-strategy';
import type { FieldDefinition, FieldType, SelectOption } from '../metadata/types';
import { columnTypeSql } from './ddl';

/**
 * How a field's stored data becomes another type's (or the same type with tighter limits).
 * A plan names the rows that would lose data; the change is refused while such rows exist
 * unless the request picks one of the plan's strategies.
 *
 * PostgreSQL takes no bound parameters in DDL, so `using` (the ALTER ... USING expression) is
 * built from the engine's own constants only. Anything that depends on user data (option
 * values, patterns) lives in `lossWhere` and `lossy`, which run as ordinary parameterised
 * SELECT and UPDATE statements before the ALTER.
 */
export interface ConversionPlan {
  /** The column's SQL type changes: ALTER ... TYPE rewrites the table. */
  readonly alter: boolean;
  readonly newType: ColumnType;
  /** New value of a row that converts cleanly (no bound parameters). */
  readonly using: RawBuilder<unknown>;
  /** Rows that cannot convert without losing something. */
  readonly lossWhere?: RawBuilder<boolean>;
  /** What those rows would lose, for the refusal message. */
  readonly loss?: Reason;
  readonly strategies: readonly ConversionStrategy[];
  /**
   * Under each accepted strategy, the value (still of the current column type) that replaces a
   * lossy row before the conversion, after which `using` converts it exactly.
   */
  readonly lossy: Partial<Record<ConversionStrategy, RawBuilder<unknown>>>;
}

export type ConversionResult = { readonly ok: true; readonly plan: ConversionPlan } | { readonly ok: false; readonly reason: Reason };

const TEXTUAL: ReadonlySet<FieldType> = new Set(['text', 'textarea', 'email', 'phone', 'url', 'select', 'autonumber']);
const DECIMALS: ReadonlySet<FieldType> = new Set(['decimal', 'currency', 'percent']);
const NUMERIC_TEXT = '^\\s*[-+]?(\\d+\\.?\\d*|\\.\\d+)([eE][-+]?\\d+)?\\s*$';
const BOOLEAN_TRUE = ['true', '1', 'yes', 'y', 'on'];
const BOOLEAN_TEXT = [...BOOLEAN_TRUE, 'false', '0', 'no', 'n', 'off'];

const PATTERNS: Partial<Record<FieldType, string>> = {
  email: '^[^@\\s]+@[^@\\s]+\\.[^@\\s]+$',
  phone: '^\\s*\\+?[0-9][0-9 ()./-]{1,30}(\\s*(x|ext\\.?|#)\\s*[0-9]{1,6})?\\s*$',
  url: '^\\s*[hH][tT][tT][pP][sS]?://\\S+$',
};

const MAX_LENGTH_DEFAULT: Partial<Record<FieldType, number>> = { text: 255, textarea: 32_000, email: 254, phone: 40, url: 2048 };

function maxLength(def: FieldDefinition): number | undefined {
  if ('max_length' in def && def.max_length !== undefined) return def.max_length;
  return MAX_LENGTH_DEFAULT[def.type];
}

function optionValues(def: FieldDefinition): string[] {
  return 'options' in def ? (def.options as readonly SelectOption[]).map((o) => o.value) : [];
}

function precisionScale(def: FieldDefinition, storage: Storage): { precision: number; scale: number } | undefined {
  if (storage.kind !== 'column') return undefined;
  const match = /^numeric\((\d+),(\d+)\)$/.exec(storage.columnType);
  return match ? { precision: Number(match[1]), scale: Number(match[2]) } : undefined;
}

const ok = (plan: Omit<ConversionPlan, 'strategies' | 'lossy'> & Partial<Pick<ConversionPlan, 'strategies' | 'lossy'>>): ConversionResult => ({
  ok: true,
  plan: { strategies: [], lossy: {}, ...plan },
});
const refuse = (why: Reason): ConversionResult => ({ ok: false, reason: why });

/** Conditions a text value must meet to fit the target text-like type. */
function textFits(col: RawBuilder<unknown>, to: FieldDefinition): { where: RawBuilder<boolean>; loss: Reason; strategy: ConversionStrategy; lossy: RawBuilder<unknown> } | undefined {
  const pattern = PATTERNS[to.type];
  if (pattern) return { where: sql<boolean>`${col} is not null and ${col} !~ ${pattern}`, loss: reason('loss_not_valid_type', { type: to.type }), strategy: 'null_invalid', lossy: sql`null` };
  if (to.type === 'select') {
    const values = optionValues(to);
    return { where: sql<boolean>`${col} is not null and not (${col} = any(${values}::text[]))`, loss: reason('loss_not_an_option'), strategy: 'null_invalid', lossy: sql`null` };
  }
  const max = maxLength(to);
  if (max !== undefined) return { where: sql<boolean>`char_length(${col}) > ${max}`, loss: reason('loss_longer_than', { max }), strategy: 'truncate', lossy: sql`left(${col}, ${max})` };
  return undefined;
}

export function planConversion(
  column: string,
  from: FieldDefinition,
  fromStorage: Storage,
  to: FieldDefinition,
  toStorage: Storage,
): ConversionResult {
  const col = sql.ref(column);
  if (fromStorage.kind !== 'column' || toStorage.kind !== 'column') {
    return refuse(reason('computed_no_stored_data'));
  }
  if (['autonumber', 'rollup', 'formula'].includes(to.type) && from.type !== to.type) {
    return refuse(reason('computes_own_values', { type: to.type }));
  }
  if (from.type === 'rollup' || from.type === 'formula') return refuse(reason('computed_not_stored'));
  const newType = toStorage.columnType;
  const alter = fromStorage.columnType !== newType;

  // text-like -> text-like
  if (TEXTUAL.has(from.type) && TEXTUAL.has(to.type)) {
    const fit = textFits(col, to);
    return ok({ alter, newType, using: col, ...(fit ? { lossWhere: fit.where, loss: fit.loss, strategies: [fit.strategy], lossy: { [fit.strategy]: fit.lossy } } : {}) });
  }
  // text-like -> multiselect
  if (TEXTUAL.has(from.type) && to.type === 'multiselect') {
    const values = optionValues(to);
    return ok({
      alter,
      newType,
      using: sql`case when ${col} is null then null else array[${col}]::text[] end`,
      lossWhere: sql<boolean>`${col} is not null and not (${col} = any(${values}::text[]))`,
      loss: reason('loss_not_an_option'),
      strategies: ['null_invalid'],
      lossy: { null_invalid: sql`null` },
    });
  }
  // multiselect -> multiselect with fewer options
  if (from.type === 'multiselect' && to.type === 'multiselect') {
    const values = optionValues(to);
    return ok({
      alter,
      newType,
      using: col,
      lossWhere: sql<boolean>`not (${col} <@ ${values}::text[])`,
      loss: reason('loss_no_longer_option'),
      strategies: ['null_invalid'],
      // Only the values that are no longer options go; an emptied selection becomes null.
      lossy: { null_invalid: sql`nullif(array(select v from unnest(${col}) v where v = any(${values}::text[])), '{}')` },
    });
  }
  // multiselect -> text-like / select
  if (from.type === 'multiselect' && (TEXTUAL.has(to.type) || to.type === 'select')) {
    if (to.type === 'select') {
      const values = optionValues(to);
      return ok({
        alter,
        newType,
        using: sql`${col}[1]`,
        lossWhere: sql<boolean>`cardinality(${col}) > 1 or not (${col}[1] = any(${values}::text[]))`,
        loss: reason('loss_not_single_option'),
        strategies: ['first_value', 'null_invalid'],
        lossy: { first_value: sql`case when ${col}[1] = any(${values}::text[]) then array[${col}[1]] end`, null_invalid: sql`null` },
      });
    }
    const max = maxLength(to);
    return ok({
      alter,
      newType,
      using: sql`array_to_string(${col}, ${sql.lit(';')})`,
      ...(max !== undefined
        ? { lossWhere: sql<boolean>`char_length(array_to_string(${col}, ';')) > ${max}`, loss: reason('loss_longer_joined', { max }), strategies: ['null_invalid'], lossy: { null_invalid: sql`null` } }
        : {}),
    });
  }
  // text -> numbers, booleans, dates
  if (TEXTUAL.has(from.type)) {
    if (to.type === 'integer') {
      return ok({
        alter,
        newType,
        using: sql`trim(${col})::bigint`,
        lossWhere: sql<boolean>`${col} is not null and ${col} !~ '^\\s*[-+]?\\d{1,15}\\s*$'`,
        loss: reason('loss_not_whole_numbers'),
        strategies: ['null_invalid'],
        lossy: { null_invalid: sql`null` },
      });
    }
    if (DECIMALS.has(to.type)) {
      const ps = precisionScale(to, toStorage)!;
      const limit = `1e${ps.precision - ps.scale}`;
      return ok({
        alter,
        newType,
        using: sql`crm_meta.try_numeric(trim(${col}))::${columnTypeSql(newType)}`,
        lossWhere: sql<boolean>`${col} is not null and (case when ${col} ~ ${NUMERIC_TEXT} then abs(crm_meta.try_numeric(trim(${col}))) >= ${limit}::numeric or crm_meta.try_numeric(trim(${col})) <> round(crm_meta.try_numeric(trim(${col})), ${ps.scale}) else true end)`,
        loss: reason('loss_not_fitting_numbers', { integer_digits: ps.precision - ps.scale, scale: ps.scale }),
        strategies: ['null_invalid', 'round'],
        lossy: {
          null_invalid: sql`null`,
          round: sql`case when ${col} ~ ${NUMERIC_TEXT} and abs(round(crm_meta.try_numeric(trim(${col})), ${ps.scale})) < ${limit}::numeric then round(crm_meta.try_numeric(trim(${col})), ${ps.scale})::text end`,
        },
      });
    }
    if (to.type === 'boolean') {
      return ok({
        alter,
        newType,
        using: sql`lower(trim(${col})) in (${sql.join(BOOLEAN_TRUE.map((v) => sql.lit(v)))})`,
        lossWhere: sql<boolean>`${col} is not null and not (lower(trim(${col})) = any(${BOOLEAN_TEXT}::text[]))`,
        loss: reason('loss_not_booleans'),
        strategies: ['null_invalid'],
        lossy: { null_invalid: sql`null` },
      });
    }
    if (to.type === 'date' || to.type === 'datetime') {
      const cast = to.type === 'date' ? sql`crm_meta.try_date(trim(${col}))` : sql`crm_meta.try_timestamptz(trim(${col}))`;
      return ok({
        alter,
        newType,
        using: cast,
        lossWhere: sql<boolean>`${col} is not null and ${cast} is null`,
        loss: reason(to.type === 'date' ? 'loss_not_dates' : 'loss_not_datetimes'),
        strategies: ['null_invalid'],
        lossy: { null_invalid: sql`null` },
      });
    }
    if (to.type === 'json') return ok({ alter, newType, using: sql`to_jsonb(${col})` });
    return refuse(reason('text_cannot_become', { type: to.type }));
  }
  // numbers
  if (from.type === 'integer' || DECIMALS.has(from.type)) {
    if (to.type === 'integer') {
      if (from.type === 'integer') return ok({ alter, newType, using: col });
      return ok({
        alter,
        newType,
        using: sql`${col}::bigint`,
        lossWhere: sql<boolean>`${col} <> trunc(${col}) or abs(${col}) > 9007199254740991`,
        loss: reason('loss_fractions'),
        strategies: ['round', 'truncate', 'null_invalid'],
        lossy: {
          round: sql`case when abs(${col}) <= 9007199254740991 then round(${col}) end`,
          truncate: sql`case when abs(${col}) <= 9007199254740991 then trunc(${col}) end`,
          null_invalid: sql`null`,
        },
      });
    }
    if (DECIMALS.has(to.type)) {
      const ps = precisionScale(to, toStorage)!;
      const limit = `1e${ps.precision - ps.scale}`;
      return ok({
        alter,
        newType,
        using: sql`${col}::${columnTypeSql(newType)}`,
        lossWhere: sql<boolean>`${col} <> round(${col}::numeric, ${ps.scale}) or abs(round(${col}::numeric, ${ps.scale})) >= ${limit}::numeric`,
        loss: reason('loss_not_fitting', { integer_digits: ps.precision - ps.scale, scale: ps.scale }),
        strategies: ['round', 'truncate', 'null_invalid'],
        lossy: {
          round: sql`case when abs(round(${col}::numeric, ${ps.scale})) < ${limit}::numeric then round(${col}::numeric, ${ps.scale}) end`,
          truncate: sql`case when abs(trunc(${col}::numeric, ${ps.scale})) < ${limit}::numeric then trunc(${col}::numeric, ${ps.scale}) end`,
          null_invalid: sql`null`,
        },
      });
    }
    if (TEXTUAL.has(to.type)) {
      // Numbers always fit a text column; only a select's option list can refuse them.
      if (to.type !== 'select') return ok({ alter, newType, using: sql`${col}::text` });
      const values = optionValues(to);
      return ok({
        alter,
        newType,
        using: sql`${col}::text`,
        lossWhere: sql<boolean>`${col} is not null and not (${col}::text = any(${values}::text[]))`,
        loss: reason('loss_not_an_option'),
        strategies: ['null_invalid'],
        lossy: { null_invalid: sql`null` },
      });
    }
    if (to.type === 'boolean') {
      return ok({
        alter,
        newType,
        using: sql`${col} <> 0`,
        lossWhere: sql<boolean>`${col} not in (0, 1)`,
        loss: reason('loss_not_zero_or_one'),
        strategies: ['null_invalid'],
        lossy: { null_invalid: sql`null` },
      });
    }
    return refuse(reason('numbers_cannot_become', { type: to.type }));
  }
  if (from.type === 'boolean') {
    if (TEXTUAL.has(to.type) && to.type !== 'select' && to.type !== 'email' && to.type !== 'phone' && to.type !== 'url') {
      return ok({ alter, newType, using: sql`case when ${col} then 'true' when not ${col} then 'false' end` });
    }
    if (to.type === 'integer') return ok({ alter, newType, using: sql`${col}::integer::bigint` });
    return refuse(reason('booleans_cannot_become', { type: to.type }));
  }
  if (from.type === 'date') {
    if (to.type === 'datetime') return ok({ alter, newType, using: sql`(${col}::timestamp at time zone 'UTC')` });
    if (to.type === 'text' || to.type === 'textarea') return ok({ alter, newType, using: sql`to_char(${col}, 'YYYY-MM-DD')` });
    return refuse(reason('dates_cannot_become', { type: to.type }));
  }
  if (from.type === 'datetime') {
    if (to.type === 'date') {
      return ok({
        alter,
        newType,
        using: sql`(${col} at time zone 'UTC')::date`,
        lossWhere: sql<boolean>`(${col} at time zone 'UTC') <> date_trunc('day', ${col} at time zone 'UTC')`,
        loss: reason('loss_time_of_day'),
        strategies: ['truncate'],
        // The cast itself drops the time of day; nothing to prepare.
        lossy: { truncate: col },
      });
    }
    if (to.type === 'text' || to.type === 'textarea') {
      return ok({ alter, newType, using: sql`to_char(${col} at time zone 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"')` });
    }
    return refuse(reason('datetimes_cannot_become', { type: to.type }));
  }
  if ((from.type === 'lookup' || from.type === 'master_detail') && (to.type === 'lookup' || to.type === 'master_detail')) {
    if (from.target !== to.target) return refuse(reason('reference_retarget'));
    if (to.type === 'master_detail') {
      return ok({ alter, newType, using: col, lossWhere: sql<boolean>`${col} is null and deleted_at is null`, loss: reason('loss_no_master') });
    }
    return ok({ alter, newType, using: col });
  }
  if (from.type === 'json' && (to.type === 'text' || to.type === 'textarea')) {
    const max = maxLength(to)!;
    return ok({ alter, newType, using: sql`${col}::text`, lossWhere: sql<boolean>`char_length(${col}::text) > ${max}`, loss: reason('loss_longer_than', { max }), strategies: ['null_invalid'], lossy: { null_invalid: sql`null` } });
  }
  if (from.type === to.type) return ok({ alter, newType, using: col });
  return refuse(reason('type_cannot_become', { from: from.type, to: to.type }));
}
