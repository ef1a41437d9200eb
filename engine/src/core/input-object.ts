import { computationOf, expressionOf, fieldTypeOf, type TypeContext } from '../field-types';
import type { CompiledDefault, CompiledField, CompiledFormula, InputObject, ObjectFields } from './compiled';
import { ruleReads } from './rule-scope';
import { systemFieldDefinitions } from './system-fields';
import type { FieldDefinition, ObjectDefinition, ValidationRuleDefinition } from '../documents/types';
import { recordInputSchema } from './record-input';
import { compileValidationRules } from './compile-validation-rules';
import { ruleKey, schemaKey, type Compilers, type RuleMode, type SchemaValidateFunction } from './compilers';

/**
 * "Compile an object for input checking": the pure part of compiling an object, from its
 * metadata documents alone. The server's metadata compile (metadata/compile.ts) builds every
 * CompiledObject on it; a browser builds the same from a client projection of the metadata and
 * its generated modules, so both check a record input with the same compiled parts.
 */

/** The documents of one object that checking its records' input reads. */
export interface InputObjectDocuments {
  readonly object: ObjectDefinition;
  /** Its fields in their order; `id` is the metadata row id where known (the server's autonumbers use it). */
  readonly fields: readonly { readonly id?: string | null; readonly definition: FieldDefinition }[];
  /** Its validation rules; inactive ones are skipped. */
  readonly validationRules: readonly ValidationRuleDefinition[];
}

/** Without other objects' fields, a rollup's aggregated field is unknown: it is taken as a number. */
const NO_OTHER_OBJECTS: TypeContext = Object.freeze({ field: () => undefined });

export function compileField(def: FieldDefinition, id: string | null, system: boolean, typeContext: TypeContext): CompiledField {
  const type = fieldTypeOf(def);
  const storage = type.storage(def, typeContext);
  const writable = system ? def.name === 'owner_id' : type.capabilities.input && def.read_only !== true;
  return Object.freeze({
    id,
    name: def.name,
    system,
    definition: def,
    type,
    storage,
    kind: type.valueKind(def, typeContext),
    column: storage.kind === 'column' ? def.name : null,
    writable,
  });
}

/**
 * The fields of one object, compiled. The server compiles every object's fields once per
 * metadata change (metadata/compile.ts compileSnapshotFields): the whole-graph check reads them
 * and the object's input check is built on the same ones.
 */
export function compileObjectFields(documents: Pick<InputObjectDocuments, 'object' | 'fields'>, typeContext: TypeContext = NO_OTHER_OBJECTS): ObjectFields {
  const systemFields = systemFieldDefinitions(documents.object.name).map((def) => compileField(def, null, true, typeContext));
  const userFields = documents.fields.map((f) => compileField(f.definition, f.id ?? null, false, typeContext));
  const fields = [...systemFields, ...userFields];
  return Object.freeze({ fields, userFields, fieldsByName: new Map(fields.map((f) => [f.name, f])) });
}

/**
 * Fields (system fields first), formulas in evaluation order, defaults and active validation
 * rules, compiled through `compilers`; the input validator is compiled on first use. A formula
 * or default that does not compile throws (stored ones were checked when saved). Fields already
 * compiled from the same documents and type context may be handed in (`compiledFields`).
 */
export function compileInputObject(
  documents: InputObjectDocuments,
  compilers: Compilers,
  typeContext: TypeContext = NO_OTHER_OBJECTS,
  compiledFields: ObjectFields = compileObjectFields(documents, typeContext),
): InputObject {
  const name = documents.object.name;
  const { fields, userFields, fieldsByName } = compiledFields;
  const formulas = orderFormulas(userFields).map((field): CompiledFormula => {
    const expression = expressionOf(field.definition);
    return { field, evaluate: compilers.rule(expression, 'value') as CompiledFormula['evaluate'], reads: ruleReads(expression) };
  });
  const defaults = userFields
    .filter((f) => f.definition.default !== undefined)
    .map((field): CompiledDefault => ({ field, evaluate: compilers.rule(field.definition.default, 'value') as CompiledDefault['evaluate'] }));
  let validator: SchemaValidateFunction | undefined;
  return Object.freeze({
    name,
    definition: documents.object,
    fields,
    userFields,
    fieldsByName,
    formulas,
    defaults,
    activeValidationRules: compileValidationRules(documents.validationRules, compilers),
    // Compiled when the object is first written, not for every object at every revision.
    inputValidator: () => (validator ??= compilers.schema(recordInputSchema(fields))),
  });
}

/** Formulas in an order where each runs after the formulas it reads (cycles are refused when saved). */
function orderFormulas(fields: readonly CompiledField[]): CompiledField[] {
  const formulas = new Map(fields.filter((f) => computationOf(f.definition)?.kind === 'expression').map((f) => [f.name, f]));
  const ordered: CompiledField[] = [];
  const state = new Map<string, 'visiting' | 'done'>();
  const visit = (field: CompiledField): void => {
    if (state.get(field.name) === 'done') return;
    if (state.get(field.name) === 'visiting') throw new Error(`formula cycle through ${field.name}`);
    state.set(field.name, 'visiting');
    for (const read of ruleReads(expressionOf(field.definition))) {
      const dependency = formulas.get(read);
      if (dependency) visit(dependency);
    }
    state.set(field.name, 'done');
    ordered.push(field);
  };
  formulas.forEach(visit);
  return ordered;
}

/** A rule or schema an object's input check compiles, keyed as core/compilers.ts says. */
export interface InputCompilations {
  readonly rules: ReadonlyMap<string, { readonly rule: unknown; readonly mode: RuleMode }>;
  readonly schemas: ReadonlyMap<string, object>;
}

/**
 * Every rule and schema compileInputObject asks its compilers for, by key: what a revision's
 * generated modules must hold for this object. Found by running the compile itself with
 * recording compilers, so the list cannot drift from what the check asks for.
 */
export function inputCompilations(documents: InputObjectDocuments, typeContext?: TypeContext): InputCompilations {
  const rules = new Map<string, { rule: unknown; mode: RuleMode }>();
  const schemas = new Map<string, object>();
  const recording: Compilers = {
    rule(rule, mode) {
      rules.set(ruleKey(rule, mode), { rule, mode });
      return () => undefined;
    },
    schema(schema) {
      schemas.set(schemaKey(schema), schema);
      return () => true;
    },
  };
  compileInputObject(documents, recording, typeContext).inputValidator();
  return { rules, schemas };
}
