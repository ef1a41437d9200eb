import type { Expectation } from '../../errors';
import type { FieldDefinition } from '../../documents/types';
import type { DefinitionRename, FieldReference, FieldTypeModule, Normalized } from '../field-type';
import { storedInput } from './capabilities';

export const UUID_PATTERN = '^[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}$';

interface ReferenceSpec<D extends FieldDefinition> {
  readonly type: D['type'];
  readonly expected: Expectation;
  readonly definitionProperties: FieldTypeModule['definitionProperties'];
  readonly requiredProperties?: readonly string[];
  readonly unique: boolean;
  readonly describe: (def: D) => { readonly widget: string; readonly [property: string]: unknown };
  readonly reference: (def: D) => FieldReference;
  readonly extra?: Partial<FieldTypeModule<D>>;
}

/** A record reference follows a rename of the object it targets. */
export function renameTarget<D extends { readonly target: string }>(def: D, rename: DefinitionRename): D {
  return rename.kind === 'object' && def.target === rename.from ? { ...def, target: rename.to } : def;
}

/** lookup, master_detail and user: a uuid column holding the id of a row elsewhere, differing in target and delete rule. */
export function referenceType<D extends FieldDefinition>(spec: ReferenceSpec<D>): FieldTypeModule<D> {
  return {
    type: spec.type,
    definitionProperties: spec.definitionProperties,
    ...(spec.requiredProperties ? { requiredProperties: spec.requiredProperties } : {}),
    capabilities: { ...storedInput, unique: spec.unique },
    expected: spec.expected,
    storage: () => ({ kind: 'column', columnType: 'uuid' }),
    valueKind: () => 'uuid',
    inputSchema: () => ({ type: 'string', pattern: UUID_PATTERN }),
    // Ids are stored and compared in canonical lower case.
    normalize: (value): Normalized => ({ ok: true, value: (value as string).toLowerCase() }),
    output: (value) => value,
    toRule: (value) => value,
    describe: (def) => ({ ...spec.describe(def), valueKind: 'uuid' }),
    reference: spec.reference,
    ...spec.extra,
  };
}
