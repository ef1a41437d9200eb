import type { CompiledMetadata } from '@crm/engine';
import { readContextFor, type DescribedObject } from './described-object';
import { englishText } from './labels';
import { headerRef, sharedHeaders, sharedParameters } from './record-parameters';
import { recordSharedSchemas } from './record-shared-schemas';
import { recordSchemas } from './record-schemas';
import type { DocumentPart, SchemaObject } from './types';

/**
 * The record API's components. Its routes (records/routes.ts, records/action-routes.ts) are
 * documented as one set of concrete paths per object (`/api/records/opportunity`, ...) with that
 * object's schemas: a generic `{object}` path would type every record as a bag of unknowns,
 * which is what a generated client is meant to avoid. Only the objects and operations the viewer
 * may use are there; the engine answers the others with 403, which a client has no use for.
 */

export const recordHeaders = { ETag: headerRef('ETag') };

/** What an object's active validation rules mean for its writes (nothing when it has none). */
export function rulesNote(described: DescribedObject): { description?: string } {
  const rules = described.object.activeValidationRules;
  if (rules.length === 0) return {};
  return {
    description: `Checked against the object's validation rules (${rules.map((r) => `\`${r.name}\``).join(', ')}): a write that breaks any of them is refused with 422 \`rule_violation\`, listing every failing rule (\`fields\`: one entry per rule and field it points at, \`code\` \`rule:<name>\`, the rule's own message).`,
  };
}

/** ['create', 'update', 'upsert'] -> 'Create, update or upsert'. */
export function sentenceList(words: readonly string[]): string {
  const text = words.length > 1 ? `${words.slice(0, -1).join(', ')} or ${words[words.length - 1]}` : (words[0] ?? '');
  return text.charAt(0).toUpperCase() + text.slice(1);
}

/** Per object the viewer may use: its tag and its record schemas; and the parameters and headers the record routes share. */
export function recordComponents(metadata: CompiledMetadata, objects: readonly DescribedObject[]): DocumentPart {
  const context = readContextFor(metadata, objects);
  return {
    paths: {},
    tags: objects.map(({ object }) => ({
      name: object.name,
      description: [englishText(object.definition.plural_label) ?? englishText(object.definition.label), object.definition.description]
        .filter(Boolean)
        .join(': '),
    })),
    schemas: {
      ...recordSharedSchemas(),
      ...(Object.assign({}, ...objects.map((d) => recordSchemas(d, context))) as Record<string, SchemaObject>),
    },
    parameters: sharedParameters,
    headers: sharedHeaders,
  };
}
