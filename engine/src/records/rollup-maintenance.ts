import type { QueryExecutorProvider } from 'kysely';
import type { CompiledObject, RollupLink } from '../metadata/compiled';
import { fieldsScope } from '../metadata/rule-scope';
import { recomputeRollups, type RollupSpec } from './rollups';
import type { Row } from './statements';

function specOf(child: CompiledObject, link: RollupLink): RollupSpec {
  return {
    rollupColumn: link.rollupColumn,
    aggregate: link.aggregate,
    childTable: child.table,
    relationshipColumn: link.relationshipColumn,
    aggregateColumn: link.aggregateColumn,
    filter: link.filter,
    childScope: fieldsScope(child.fieldsByName, { allowContext: false }),
  };
}

/**
 * After child rows changed, recomputes the rollups of every parent they point at (before and
 * after the change). `changed` limits this to rollups that read a changed field.
 */
export async function maintainRollups(
  db: QueryExecutorProvider,
  child: CompiledObject,
  rows: readonly (Row | undefined)[],
  changed?: ReadonlySet<string>,
): Promise<void> {
  const byParent = new Map<string, { links: RollupLink[]; ids: Set<string> }>();
  for (const link of child.rollupsOnParents) {
    if (changed && ![...link.dependsOn].some((f) => changed.has(f))) continue;
    const group = byParent.get(link.parentTable) ?? { links: [], ids: new Set<string>() };
    group.links.push(link);
    for (const row of rows) {
      const id = row?.[link.relationshipColumn];
      if (typeof id === 'string') group.ids.add(id);
    }
    byParent.set(link.parentTable, group);
  }
  for (const [parentTable, group] of byParent) {
    await recomputeRollups(db, parentTable, group.links.map((l) => specOf(child, l)), [...group.ids]);
  }
}

export function needsRollupWork(child: CompiledObject, changed?: ReadonlySet<string>): boolean {
  return child.rollupsOnParents.some((link) => !changed || [...link.dependsOn].some((f) => changed.has(f)));
}
