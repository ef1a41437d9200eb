/**
 * How column values come back from the database, identical for pg and PGlite:
 * dates stay calendar strings (no time-zone shift), timestamps become ISO-8601 UTC strings,
 * numerics stay exact strings, int8 becomes a number when it is safe.
 * Both drivers run their sessions with TimeZone=UTC and DateStyle=ISO, which this relies on.
 */
export const PG_OID = Object.freeze({
  int8: 20,
  numeric: 1700,
  date: 1082,
  timestamptz: 1184,
  timestamp: 1114,
});

function parseInt8(value: string): number | string {
  const n = Number(value);
  return Number.isSafeInteger(n) ? n : value;
}

const ZERO = 48;
const NINE = 57;

function digitsAt(value: string, from: number, to: number): boolean {
  for (let i = from; i < to; i++) {
    const c = value.charCodeAt(i);
    if (c < ZERO || c > NINE) return false;
  }
  return true;
}

/**
 * What a UTC session sends, 'YYYY-MM-DD HH:MM:SS[.ffffff]+00', read without a regular
 * expression: every timestamp of every row goes through here, and a match array per value
 * was most of what a list page allocated. Undefined for any other form.
 */
function utcTimestampToIso(value: string): string | undefined {
  const n = value.length;
  if (n < 22 || value.charCodeAt(n - 3) !== 43 /* + */ || value.charCodeAt(n - 2) !== ZERO || value.charCodeAt(n - 1) !== ZERO) return undefined;
  if (value[4] !== '-' || value[7] !== '-' || (value[10] !== ' ' && value[10] !== 'T') || value[13] !== ':' || value[16] !== ':') return undefined;
  if (!digitsAt(value, 0, 4) || !digitsAt(value, 5, 7) || !digitsAt(value, 8, 10) || !digitsAt(value, 11, 13) || !digitsAt(value, 14, 16) || !digitsAt(value, 17, 19)) return undefined;
  let ms = '000';
  if (n > 22) {
    if (value[19] !== '.' || n === 23 || !digitsAt(value, 20, n - 3)) return undefined;
    ms = n - 3 - 20 >= 3 ? value.slice(20, 23) : (value.slice(20, n - 3) + '000').slice(0, 3);
  }
  return `${value.slice(0, 10)}T${value.slice(11, 19)}.${ms}Z`;
}

/** '2024-01-05 10:00:00.123456+00' -> '2024-01-05T10:00:00.123Z' */
export function timestamptzToIso(value: string): string {
  const utc = utcTimestampToIso(value);
  if (utc !== undefined) return utc;
  const match = /^(\d{4,})-(\d\d)-(\d\d)[ T](\d\d):(\d\d):(\d\d)(?:\.(\d+))?([+-]\d\d(?::?\d\d)?(?::?\d\d)?)?( BC)?$/.exec(value);
  if (!match) {
    // infinity / -infinity and BC dates have no ISO form we accept as input; pass through.
    return value;
  }
  const [, y, mo, d, h, mi, s, frac = '', offset = '+00', bc] = match;
  if (bc) return value;
  const ms = (frac + '000').slice(0, 3);
  if (offset === '+00' || offset === '+00:00' || offset === '-00') {
    return `${y}-${mo}-${d}T${h}:${mi}:${s}.${ms}Z`;
  }
  // A session not in UTC still yields the right instant.
  const date = new Date(`${y}-${mo}-${d}T${h}:${mi}:${s}.${ms}${offset.length === 3 ? offset + ':00' : offset}`);
  return date.toISOString();
}

export const valueParsers: Readonly<Record<number, (value: string) => unknown>> = Object.freeze({
  [PG_OID.int8]: parseInt8,
  [PG_OID.numeric]: (value: string) => value,
  [PG_OID.date]: (value: string) => value,
  [PG_OID.timestamptz]: timestamptzToIso,
  [PG_OID.timestamp]: (value: string) => value,
});
