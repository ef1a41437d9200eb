import type { StoredDepartment } from './snapshot';

/** The organisation's departments (部门) as a tree, for scopes like "own department and below". */
export class DepartmentTree {
  readonly #byId: ReadonlyMap<string, StoredDepartment>;
  readonly #children: ReadonlyMap<string | null, readonly StoredDepartment[]>;
  readonly #subtrees = new Map<string, readonly string[]>();

  constructor(departments: readonly StoredDepartment[]) {
    this.#byId = new Map(departments.map((d) => [d.id, d]));
    const children = new Map<string | null, StoredDepartment[]>();
    for (const d of departments) children.set(d.parentId, [...(children.get(d.parentId) ?? []), d]);
    this.#children = children;
  }

  get(id: string): StoredDepartment | undefined {
    return this.#byId.get(id);
  }

  list(): readonly StoredDepartment[] {
    return [...this.#byId.values()];
  }

  children(id: string | null): readonly StoredDepartment[] {
    return this.#children.get(id) ?? [];
  }

  /** The department and every department under it. */
  subtree(id: string): readonly string[] {
    let cached = this.#subtrees.get(id);
    if (!cached) {
      const ids: string[] = [];
      const stack = [id];
      while (stack.length) {
        const current = stack.pop()!;
        if (!this.#byId.has(current) || ids.includes(current)) continue;
        ids.push(current);
        for (const child of this.children(current)) stack.push(child.id);
      }
      cached = ids;
      this.#subtrees.set(id, cached);
    }
    return cached;
  }

  /** The department and the departments above it, nearest first. */
  lineage(id: string): readonly string[] {
    const ids: string[] = [];
    let current = this.#byId.get(id);
    while (current && !ids.includes(current.id)) {
      ids.push(current.id);
      current = current.parentId ? this.#byId.get(current.parentId) : undefined;
    }
    return ids;
  }

  /** Departments that would sit under themselves (a cycle), which a change must never create. */
  cycles(): string[] {
    return this.list()
      .filter((d) => {
        const seen = new Set<string>();
        let current: StoredDepartment | undefined = d;
        while (current?.parentId) {
          if (current.parentId === d.id || seen.has(current.parentId)) return true;
          seen.add(current.parentId);
          current = this.#byId.get(current.parentId);
        }
        return false;
      })
      .map((d) => d.id);
  }
}
