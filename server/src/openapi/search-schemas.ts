import { schemaRef, type DocumentPart, type SchemaObject } from './types';

/** The shapes of global search (search/routes.ts). */

const searchSchemas: Record<string, SchemaObject> = {
  SearchHit: {
    type: 'object',
    properties: {
      id: { type: 'string', format: 'uuid' },
      title: { type: 'string', description: "The record's title field (or its first searched field you may see)." },
      subtitle: { type: 'string', description: 'Another searched field it holds, when it has one.' },
    },
    required: ['id', 'title'],
  },
  SearchResults: {
    type: 'object',
    properties: {
      data: {
        type: 'array',
        description: 'Objects with hits, in the order of the metadata; objects without hits are left out.',
        items: {
          type: 'object',
          properties: {
            object: { type: 'string', description: 'API name of the object.' },
            hits: { type: 'array', items: schemaRef('SearchHit') },
          },
          required: ['object', 'hits'],
        },
      },
    },
    required: ['data'],
  },
};

export const SEARCH_TAG = { name: 'search', description: 'Global search over every object you may read' } as const;

export function searchComponents(): DocumentPart {
  return { paths: {}, tags: [SEARCH_TAG], schemas: searchSchemas };
}
