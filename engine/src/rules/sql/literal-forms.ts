/**
 * Which string literals have a typed SQL twin. A typed comparison (`col = $1::date`) uses the
 * column's index, but is only exact when the literal is written exactly as the column's value
 * looks to JavaScript; otherwise the comparison falls back to the value's text form.
 */

const DATE = /^(\d{4})-(\d{2})-(\d{2})$/;
const DATETIME = /^(\d{4})-(\d{2})-(\d{2})T(\d{2}):(\d{2}):(\d{2})\.(\d{3})Z$/;
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;

/** 'YYYY-MM-DD', a real calendar day in years 0001-9999 (the form a date column shows). */
export function isCanonicalDate(value: string): boolean {
  const m = DATE.exec(value);
  if (!m || m[1] === '0000') return false;
  return new Date(`${value}T00:00:00.000Z`).toISOString().slice(0, 10) === value;
}

/** 'YYYY-MM-DDTHH:mm:ss.sssZ', a real instant in years 0001-9999 (the form a datetime column shows). */
export function isCanonicalDatetime(value: string): boolean {
  const m = DATETIME.exec(value);
  if (!m || m[1] === '0000') return false;
  const time = Date.parse(value);
  return !Number.isNaN(time) && new Date(time).toISOString() === value;
}

/** The canonical datetime one millisecond later, or undefined past year 9999. */
export function nextMillisecond(value: string): string | undefined {
  const next = new Date(Date.parse(value) + 1).toISOString();
  return isCanonicalDatetime(next) ? next : undefined;
}

/** Lowercase 8-4-4-4-12 hex: the only form a uuid column's value has in JavaScript. */
export function isCanonicalUuid(value: string): boolean {
  return UUID.test(value);
}
