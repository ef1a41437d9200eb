import type { CompiledMetadata, Operation } from '@crm/engine';
import { typeContextOf, type ReadContext } from './field-value-schemas';
import { englishText } from './labels';
import { RECORD_REFERENCE_SCHEMA } from './record-shared-schemas';
import { recordSchemaNames, type RecordSchemaNames } from './record-schemas';
import { schemaRef, type CompiledField, type CompiledObject } from './types';
import { objectView, type Viewer } from './viewer';

/**
 * An object as the document describes it to one viewer: the fields they see and may send, and
 * the operations they may use. The record paths and schemas are built from this alone, so what
 * is hidden from the viewer cannot leak into the document through any of them.
 */
export interface DescribedObject {
  readonly object: CompiledObject;
  readonly names: RecordSchemaNames;
  /** English label and plural label, for summaries. */
  readonly label: string;
  readonly plural: string;
  readonly may: Readonly<Record<Operation, boolean>>;
  /** The fields the viewer sees, in the object's order. */
  readonly fields: readonly CompiledField[];
  /** The fields the viewer may send: writable and neither hidden nor read-only for them; the object's own first, owner_id last. */
  readonly inputFields: readonly CompiledField[];
  /** Seen but read-only for the viewer (their role says so). */
  readonly readOnly: ReadonlySet<string>;
}

/** The objects the viewer may use, by name. */
export function describedObjects(metadata: CompiledMetadata, viewer: Viewer): DescribedObject[] {
  const visible = [...metadata.objects()]
    .sort((a, b) => a.name.localeCompare(b.name))
    .flatMap((object) => {
      const view = objectView(viewer, object.name);
      return view ? [{ object, view }] : [];
    });
  // Schema names avoid clashes with the objects the viewer sees only: others must not show through `__` names.
  const names = new Set(visible.map(({ object }) => object.name));
  return visible.map(({ object, view }) => {
    const fields = object.fields.filter((f) => !view.hidden.has(f.name));
    const writable = fields.filter((f) => f.writable && !view.readOnly.has(f.name));
    return {
      object,
      names: recordSchemaNames(object.name, names),
      label: englishText(object.definition.label) ?? object.name,
      plural: englishText(object.definition.plural_label) ?? object.name,
      may: view.may,
      fields,
      inputFields: [...writable.filter((f) => !f.system), ...writable.filter((f) => f.system)],
      readOnly: view.readOnly,
    };
  });
}

/** Expanded lookups come back as the target record only where the viewer may read the target (the engine returns `{id}` otherwise). */
export function readContextFor(metadata: CompiledMetadata, objects: readonly DescribedObject[]): ReadContext {
  const readable = new Set(objects.filter((d) => d.may.read).map((d) => d.object.name));
  return {
    types: typeContextOf(metadata),
    expandedRecord: (target) => schemaRef(readable.has(target) ? target : RECORD_REFERENCE_SCHEMA),
  };
}
