import { sql } from 'kysely';
import { reason } from '../../errors';
import { refuse } from './refuse';
import { isCanonicalDate, isCanonicalDatetime, isCanonicalUuid } from './literal-forms';
import { classOf, float8Param, textOf, type ConstValue, type Repr, type Sql, type SqlValue, type Term } from './terms';

/** One SQL type for the values of a CASE; refused when JavaScript types differ. */
export function unify(values: readonly Term[], operation: string): { cls: SqlValue['cls']; repr: Repr; sqls: Sql[] } {
  const classes = new Set(values.map(classOf).filter((c) => c !== 'null'));
  if (classes.has('undefined')) refuse(reason('sql_no_value_here', { operation }));
  if (classes.size > 1) refuse(reason('sql_mixed_types', { operation }));
  const cls = [...classes][0] ?? 'string';
  const isNullConst = (t: Term) => t.tag === 'const' && t.value === null;
  switch (cls) {
    case 'number':
      return { cls, repr: 'number', sqls: values.map((t) => (isNullConst(t) ? sql`null::float8` : t.tag === 'const' ? float8Param(t.value as number) : sql`(${t.sql})::float8`)) };
    case 'boolean':
      return { cls, repr: 'boolean', sqls: values.map((t) => (t.tag === 'const' ? sql`${t.value as boolean | null}::boolean` : t.sql)) };
    case 'string': {
      const reprs = new Set(values.flatMap((t) => (t.tag === 'sql' ? [t.repr] : [])));
      const repr = reprs.size === 1 ? [...reprs][0]! : 'text';
      const canonical = repr === 'date' ? isCanonicalDate : repr === 'uuid' ? isCanonicalUuid : repr === 'datetime' ? isCanonicalDatetime : () => true;
      const consts = values.filter((t): t is ConstValue => t.tag === 'const' && t.value !== null);
      const typed = repr !== 'text' && consts.every((t) => canonical(t.value as string));
      const type = sql.raw(!typed ? 'text' : repr === 'datetime' ? 'timestamptz' : repr);
      const sqls = values.map((t) => {
        if (t.tag === 'const') return t.value === null ? sql`null::${type}` : sql`${t.value as string}::${type}`;
        return typed ? t.sql : textOf(t);
      });
      return { cls, repr: typed ? repr : 'text', sqls };
    }
    default:
      return refuse(reason('sql_choose_between', { operation, value_class: cls }));
  }
}
