import type { ComponentsObject, HttpMethod, OpenApiDocument } from './types';

/**
 * Drops the components and tags nothing in the paths uses. The parts of the document define
 * their schemas for every viewer (the metadata API's request bodies, say), and a viewer who may
 * not make those requests should not get their shapes either: what is left is exactly what the
 * viewer's operations reach.
 */

type ComponentKind = 'schemas' | 'responses' | 'parameters' | 'headers';
const METHODS: readonly HttpMethod[] = ['get', 'post', 'patch', 'delete'];
const REF = /^#\/components\/(schemas|responses|parameters|headers)\/(.+)$/;

/** Every `$ref` to a component anywhere in `value`, as `kind/name`. */
function collectRefs(value: unknown, into: string[]): void {
  if (Array.isArray(value)) {
    for (const item of value) collectRefs(item, into);
  } else if (value !== null && typeof value === 'object') {
    for (const [key, child] of Object.entries(value)) {
      if (key === '$ref' && typeof child === 'string') {
        const match = REF.exec(child);
        if (match) into.push(`${match[1]}/${match[2]}`);
      } else {
        collectRefs(child, into);
      }
    }
  }
}

export function withoutUnused(document: OpenApiDocument): OpenApiDocument {
  const { components } = document;
  const reached = new Set<string>();
  const pending: string[] = [];
  collectRefs(document.paths, pending);
  while (pending.length > 0) {
    const key = pending.pop()!;
    if (reached.has(key)) continue;
    reached.add(key);
    const slash = key.indexOf('/');
    collectRefs(components[key.slice(0, slash) as ComponentKind][key.slice(slash + 1)], pending);
  }
  const keep = <T>(kind: ComponentKind, map: Readonly<Record<string, T>>): Record<string, T> =>
    Object.fromEntries(Object.entries(map).filter(([name]) => reached.has(`${kind}/${name}`)));
  const pruned: Pick<ComponentsObject, ComponentKind> = {
    schemas: keep('schemas', components.schemas),
    responses: keep('responses', components.responses),
    parameters: keep('parameters', components.parameters),
    headers: keep('headers', components.headers),
  };
  const usedTags = new Set(Object.values(document.paths).flatMap((item) => METHODS.flatMap((method) => item[method]?.tags ?? [])));
  return {
    ...document,
    tags: document.tags.filter((tag) => usedTags.has(tag.name)),
    components: { ...components, ...pruned },
  };
}
