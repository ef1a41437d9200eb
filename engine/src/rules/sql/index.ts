/** The SQL side of the rule compiler (imports kysely, so it stays out of the browser-safe entry). */
export { compileFilterToSql, compileValueToSql, type FilterToSqlOptions, type SqlValueExpression } from './compile-filter';
