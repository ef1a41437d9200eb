import { Ajv2020, type ValidateFunction } from 'ajv/dist/2020.js';
import { expect } from 'vitest';
import addFormatsModule from 'ajv-formats';

// ajv-formats is CommonJS; under ESM interop its default export may be nested.
const addFormats = ((addFormatsModule as unknown as { default?: typeof addFormatsModule }).default ?? addFormatsModule) as typeof addFormatsModule;

/**
 * Validators for the component schemas of a served document, taken as one JSON Schema 2020-12
 * document (which is what OpenAPI 3.1 schemas are): `schemaOf('opportunity')(value)`.
 */
export function schemaValidator(documentText: string): (name: string) => ValidateFunction {
  const schemas = (JSON.parse(documentText.replaceAll('#/components/schemas/', '#/$defs/')) as { components: { schemas: object } }).components.schemas;
  const ajv = new Ajv2020({ strict: false, allErrors: true });
  addFormats(ajv);
  ajv.addFormat('password', true);
  ajv.addSchema({ $id: 'crm', $defs: schemas });
  return (name) => {
    const validate = ajv.getSchema(`crm#/$defs/${name}`);
    if (!validate) throw new Error(`no schema ${name}`);
    return validate;
  };
}

/** Asserts that `value` matches the named component schema, listing ajv's errors when not. */
export function expectSchemaValid(schemaOf: (name: string) => ValidateFunction, name: string, value: unknown): void {
  const validate = schemaOf(name);
  const valid = validate(value);
  expect(valid ? [] : validate.errors, `${name}: ${JSON.stringify(value)}`).toEqual([]);
}
