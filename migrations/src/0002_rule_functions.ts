import { sql, type Kysely } from 'kysely';

/**
 * SQL helpers the JSON-Logic filter translation needs to reproduce JavaScript's conversions
 * exactly (engine/src/rules/sql). Plain SQL/plpgsql only, so they run on PostgreSQL 15+ and on
 * PGlite alike. All are IMMUTABLE: their results depend on their arguments only (the one that
 * formats floats pins extra_float_digits itself instead of reading the session's).
 */

/** JavaScript's StrWhiteSpaceChar: WhiteSpace and LineTerminator. PostgreSQL's \s is locale-dependent. */
const JS_SPACE = String.raw`[\t\n\v\f\r \u00a0\u1680\u2000-\u200a\u2028\u2029\u202f\u205f\u3000\ufeff]`;
/** StrDecimalLiteral without its sign handling for Infinity (checked separately). */
const DECIMAL = String.raw`[+-]?([0-9]+\.?[0-9]*|\.[0-9]+)([eE][+-]?[0-9]+)?`;

const FUNCTIONS: readonly string[] = [
  // A string already known to be a JavaScript decimal literal (or +-Infinity) to float8, correctly
  // rounded. float8in raises an error where JavaScript overflows to Infinity or underflows to 0.
  String.raw`
  create function crm_meta.js_decimal_to_float8(t text) returns double precision
  language plpgsql immutable strict parallel safe as $fn$
  declare
    parts text[];
    int_digits text;
    frac_digits text;
    exponent bigint;
    magnitude bigint;
  begin
    if t ~ '^[+-]?Infinity$' then
      return case when left(t, 1) = '-' then '-Infinity'::float8 else 'Infinity'::float8 end;
    end if;
    -- Without an exponent and under 300 characters the value is between 1e-300 and 1e300.
    if length(t) < 300 and (t !~ '[eE]' or (length(t) < 200 and t ~ '[eE][+-]?[0-9]{1,2}$')) then
      return t::float8;
    end if;
    begin
      return t::float8;
    exception when numeric_value_out_of_range then
      parts := regexp_match(t, '^[+-]?([0-9]*)\.?([0-9]*)(?:[eE]([+-]?[0-9]+))?$');
      int_digits := ltrim(parts[1], '0');
      frac_digits := parts[2];
      exponent := case
        when parts[3] is null then 0
        when length(ltrim(parts[3], '+-0')) > 9 then case when left(parts[3], 1) = '-' then -1000000000 else 1000000000 end
        else parts[3]::bigint end;
      magnitude := case
        when int_digits <> '' then length(int_digits) - 1 + exponent
        else exponent - (length(frac_digits) - length(ltrim(frac_digits, '0'))) - 1 end;
      if magnitude >= 0 then
        return case when left(t, 1) = '-' then '-Infinity'::float8 else 'Infinity'::float8 end;
      end if;
      return case when left(t, 1) = '-' then '-0'::float8 else 0::float8 end;
    end;
  end $fn$`,

  // Digits in base 2, 8 or 16 to float8, correctly rounded, Infinity past the largest double.
  String.raw`
  create function crm_meta.js_radix_to_float8(digits text, base int) returns double precision
  language plpgsql immutable strict parallel safe as $fn$
  declare
    v numeric := 0;
    c text;
  begin
    foreach c in array regexp_split_to_array(lower(digits), '') loop
      v := v * base + (strpos('0123456789abcdef', c) - 1);
    end loop;
    if v >= power(2::numeric, 1024) - power(2::numeric, 970) then
      return 'Infinity'::float8;
    end if;
    return v::float8;
  end $fn$`,

  // JavaScript ToNumber(string); NULL where JavaScript gives NaN.
  String.raw`
  create function crm_meta.js_to_number(s text) returns double precision
  language plpgsql immutable strict parallel safe as $fn$
  declare
    t text := regexp_replace(s, '^${JS_SPACE}+|${JS_SPACE}+$', '', 'g');
  begin
    if t = '' then
      return 0;
    elsif t ~ '^${DECIMAL}$' or t ~ '^[+-]?Infinity$' then
      return crm_meta.js_decimal_to_float8(t);
    elsif t ~ '^0[xX][0-9a-fA-F]+$' then
      return crm_meta.js_radix_to_float8(substr(t, 3), 16);
    elsif t ~ '^0[oO][0-7]+$' then
      return crm_meta.js_radix_to_float8(substr(t, 3), 8);
    elsif t ~ '^0[bB][01]+$' then
      return crm_meta.js_radix_to_float8(substr(t, 3), 2);
    end if;
    return null;
  end $fn$`,

  // JavaScript parseFloat(string): the longest decimal prefix after leading white space; NULL for NaN.
  String.raw`
  create function crm_meta.js_parse_float(s text) returns double precision
  language plpgsql immutable strict parallel safe as $fn$
  declare
    prefix text := substring(regexp_replace(s, '^${JS_SPACE}+', '') from '^([+-]?(Infinity|([0-9]+\.?[0-9]*|\.[0-9]+)([eE][+-]?[0-9]+)?))');
  begin
    if prefix is null then
      return null;
    end if;
    return crm_meta.js_decimal_to_float8(prefix);
  end $fn$`,

  // JavaScript Number.prototype.toString() (radix 10). Both PostgreSQL (extra_float_digits >= 1)
  // and JavaScript print the shortest digits that round-trip; only the layout differs.
  String.raw`
  create function crm_meta.js_number_to_string(v double precision) returns text
  language plpgsql immutable strict parallel safe
  set extra_float_digits = 1 as $fn$
  declare
    sign text := '';
    parts text[];
    digits text;
    point int;
    k int;
    e int;
  begin
    if v = 'NaN'::float8 then
      return 'NaN';
    elsif v = 'Infinity'::float8 then
      return 'Infinity';
    elsif v = '-Infinity'::float8 then
      return '-Infinity';
    elsif v = 0 then
      return '0';
    elsif v < 0 then
      sign := '-';
      v := -v;
    end if;
    parts := regexp_match(v::text, '^([0-9]+)(?:\.([0-9]+))?(?:e([+-][0-9]+))?$');
    digits := parts[1] || coalesce(parts[2], '');
    point := length(parts[1]) + coalesce(parts[3]::int, 0);
    point := point - (length(digits) - length(ltrim(digits, '0')));
    digits := rtrim(ltrim(digits, '0'), '0');
    k := length(digits);
    if k <= point and point <= 21 then
      return sign || digits || repeat('0', point - k);
    elsif 0 < point and point <= 21 then
      return sign || left(digits, point) || '.' || substr(digits, point + 1);
    elsif -6 < point and point <= 0 then
      return sign || '0.' || repeat('0', -point) || digits;
    end if;
    e := point - 1;
    return sign || left(digits, 1) || case when k > 1 then '.' || substr(digits, 2) else '' end
      || 'e' || case when e >= 0 then '+' else '-' end || abs(e)::text;
  end $fn$`,

  // IEEE double arithmetic as JavaScript does it: PostgreSQL raises "value out of range" where
  // the result overflows to +-Infinity (or, for *, underflows to 0); JavaScript returns them.
  String.raw`
  create function crm_meta.js_add(a double precision, b double precision) returns double precision
  language plpgsql immutable strict parallel safe as $fn$
  begin
    if abs(a) < 1e300 and abs(b) < 1e300 then
      return a + b;
    end if;
    begin
      return a + b;
    exception when numeric_value_out_of_range then
      return case when a > 0 then 'Infinity'::float8 else '-Infinity'::float8 end;
    end;
  end $fn$`,

  String.raw`
  create function crm_meta.js_sub(a double precision, b double precision) returns double precision
  language plpgsql immutable strict parallel safe as $fn$
  begin
    if abs(a) < 1e300 and abs(b) < 1e300 then
      return a - b;
    end if;
    begin
      return a - b;
    exception when numeric_value_out_of_range then
      return case when a > 0 then 'Infinity'::float8 else '-Infinity'::float8 end;
    end;
  end $fn$`,

  String.raw`
  create function crm_meta.js_mul(a double precision, b double precision) returns double precision
  language plpgsql immutable strict parallel safe as $fn$
  begin
    if abs(a) < 1e150 and abs(b) < 1e150 and (a = 0 or abs(a) > 1e-150) and (b = 0 or abs(b) > 1e-150) then
      return a * b;
    end if;
    begin
      return a * b;
    exception when numeric_value_out_of_range then
      if ln(abs(a)) + ln(abs(b)) > 0 then
        return case when (a > 0) = (b > 0) then 'Infinity'::float8 else '-Infinity'::float8 end;
      end if;
      return case when (a > 0) = (b > 0) then 0::float8 else '-0'::float8 end;
    end;
  end $fn$`,
];

const SIGNATURES = [
  'js_decimal_to_float8(text)',
  'js_radix_to_float8(text, int)',
  'js_to_number(text)',
  'js_parse_float(text)',
  'js_number_to_string(double precision)',
  'js_add(double precision, double precision)',
  'js_sub(double precision, double precision)',
  'js_mul(double precision, double precision)',
];

export async function up(db: Kysely<unknown>): Promise<void> {
  for (const statement of FUNCTIONS) await sql.raw(statement).execute(db);
}

export async function down(db: Kysely<unknown>): Promise<void> {
  for (const signature of [...SIGNATURES].reverse()) await sql.raw(`drop function if exists crm_meta.${signature}`).execute(db);
}
