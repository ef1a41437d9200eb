import { metadataDocumentSchemas } from './document-schemas';
import type { DocumentPart } from './types';

/** The shapes of the metadata API (metadata/routes.ts): the engine's own document schemas. */

export const METADATA_TAG = { name: 'metadata', description: 'Objects, fields, layouts, views and validation rules' } as const;

export function metadataComponents(): DocumentPart {
  return { paths: {}, tags: [METADATA_TAG], schemas: metadataDocumentSchemas() };
}
