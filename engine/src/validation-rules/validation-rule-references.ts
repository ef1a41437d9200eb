import type { DocumentUpdate } from '../metadata/document-kind';
import { live, mapRuleVarPaths, renameIn, changed } from '../metadata/references';
import type { MetadataSnapshot } from '../metadata/snapshot';
import type { ValidationRuleDefinition } from '../metadata/types';

/** Validation rules of the object: the fields they point at and their condition (`$old.<field>` too) follow a rename. */
export function validationRuleFieldRename(snapshot: MetadataSnapshot, objectName: string, from: string, to: string): DocumentUpdate[] {
  const object = live(snapshot).find((o) => o.definition.name === objectName);
  const renamePath = (path: string): string => {
    const old = path.startsWith('$old.');
    const [head, ...tail] = (old ? path.slice('$old.'.length) : path).split('.');
    return head === from ? [old ? `$old.${to}` : to, ...tail].join('.') : path;
  };
  const updates: DocumentUpdate[] = [];
  for (const rule of object?.validationRules ?? []) {
    const def: ValidationRuleDefinition = { ...rule.definition, fields: renameIn(rule.definition.fields, from, to), condition: mapRuleVarPaths(rule.definition.condition, renamePath) };
    if (changed(rule.definition, def)) updates.push({ kind: 'validation_rule', id: rule.id, definition: def });
  }
  return updates;
}

/** A deleted field stops being pointed at; a condition that reads it blocks the delete (validate-graph). */
export function validationRuleFieldRemoval(snapshot: MetadataSnapshot, objectName: string, field: string): DocumentUpdate[] {
  const object = live(snapshot).find((o) => o.definition.name === objectName);
  return (object?.validationRules ?? [])
    .filter((rule) => rule.definition.fields.includes(field))
    .map((rule): DocumentUpdate => ({ kind: 'validation_rule', id: rule.id, definition: { ...rule.definition, fields: rule.definition.fields.filter((f) => f !== field) } }));
}
