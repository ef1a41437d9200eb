import type { ClientMetadata, ClientObject } from './client-projection-types';
import type { FieldDefinition, ValidationRuleDefinition } from '../documents/types';
import { ruleKey, type RuleMode } from './compilers';
import { inputCompilations, type InputObjectDocuments } from './input-object';

/**
 * A projected object (GET /api/meta/client) as the documents its input check is compiled from.
 * The server generates a browser's rules module from exactly these documents
 * (client/client-modules.ts), so every rule and schema the browser's compile asks for is in it,
 * and nothing withheld from the user is.
 */
export function inputDocumentsOf(object: ClientObject): InputObjectDocuments {
  return {
    object,
    // System fields are added by the compile itself; the projection lists them for display.
    fields: object.fields.filter((field) => !field.system).map((field) => ({ definition: field as FieldDefinition })),
    validationRules: object.validation_rules.map((rule) => ({ ...rule, active: true }) as ValidationRuleDefinition),
  };
}

/** Section and field conditions a form evaluates (those withheld from the user are not there). */
export function layoutConditionsOf(object: ClientObject): unknown[] {
  return object.layouts.flatMap((layout) =>
    layout.sections.flatMap((section) => [
      ...(section.visible_when === undefined ? [] : [section.visible_when]),
      ...section.fields.flatMap((placement) => [placement.visible_when, placement.read_only_when].filter((rule) => rule !== undefined)),
    ]),
  );
}

/** Every rule (with its mode) and schema a browser compiles for this projection, in a stable order. */
export function clientCompilations(metadata: Pick<ClientMetadata, 'objects'>): { rules: { rule: unknown; mode: RuleMode }[]; schemas: object[] } {
  const rules = new Map<string, { rule: unknown; mode: RuleMode }>();
  const schemas = new Map<string, object>();
  for (const object of metadata.objects) {
    const needed = inputCompilations(inputDocumentsOf(object));
    for (const [key, entry] of needed.rules) rules.set(key, entry);
    for (const [key, schema] of needed.schemas) schemas.set(key, schema);
    for (const condition of layoutConditionsOf(object)) rules.set(ruleKey(condition, 'boolean'), { rule: condition, mode: 'boolean' });
  }
  return { rules: [...rules.values()], schemas: [...schemas.values()] };
}
