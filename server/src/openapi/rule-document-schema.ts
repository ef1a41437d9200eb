import { i18nTextSchema } from '@crm/engine';
import { schemaRef, type SchemaObject } from './types';

const RULE = { description: 'A JSON-Logic rule over the record (a plain constant is a rule too).' };

/**
 * An engine AJV schema of a document holding rules (approval processes, workflows) as an OpenAPI
 * schema: I18nText as a reference, and `{}` where a rule goes described as one.
 */
export function ruleDocumentSchema(schema: unknown, title: string): SchemaObject {
  const convert = (node: unknown, ruleSlot = false): unknown => {
    if (node === i18nTextSchema) return schemaRef('I18nText');
    if (Array.isArray(node)) return node.map((item) => convert(item));
    if (node === null || typeof node !== 'object') return node;
    if (ruleSlot && Object.keys(node).length === 0) return RULE;
    const converted: Record<string, unknown> = {};
    for (const [key, value] of Object.entries(node)) {
      // AJV's discriminator keyword has no mapping to named schemas, which OpenAPI's would need: the oneOf says it all.
      if (key === 'discriminator') continue;
      if (key === 'properties') converted[key] = Object.fromEntries(Object.entries(value as object).map(([name, sub]) => [name, convert(sub, true)]));
      else converted[key] = convert(value, key === 'additionalProperties');
    }
    return converted;
  };
  return { ...(convert(schema) as SchemaObject), title };
}
