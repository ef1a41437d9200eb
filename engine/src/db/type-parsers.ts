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

/** '2024-01-05 10:00:00.123456+00' -> '2024-01-05T10:00:00.123Z' */
export function timestamptzToIso(value: string): string {
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
