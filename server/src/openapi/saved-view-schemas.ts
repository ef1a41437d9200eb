import { SAVED_VIEW_LIMITS, savedViewDefinitionSchema } from '@crm/engine';
import { schemaRef, type DocumentPart, type SchemaObject } from './types';

/** The shapes of personal saved views (saved-views/routes.ts). */

const TIME = { type: 'string', format: 'date-time' } as const;
const NAME = { type: 'string', minLength: 1, maxLength: SAVED_VIEW_LIMITS.name, description: 'Unique among your views of the object (leading and trailing spaces are trimmed).' } as const;

const schemas: Record<string, SchemaObject> = {
  SavedViewDefinition: { ...savedViewDefinitionSchema, description: 'What a list shows: the same columns, sort, filter and search the records API takes.' } as SchemaObject,
  SavedView: {
    type: 'object',
    properties: {
      id: { type: 'string', format: 'uuid' },
      object: { type: 'string', description: 'API name of the object.' },
      name: { type: 'string' },
      definition: schemaRef('SavedViewDefinition'),
      dropped: {
        type: 'array',
        items: { type: 'string', enum: ['view', 'columns', 'sort', 'filter'] },
        description:
          'Parts left out of `definition` because they named a field that was deleted or that you may no longer read (a filter is left out whole, so the view never shows more than it did without saying so). Renamed fields are followed.',
      },
      created_at: TIME,
      updated_at: TIME,
    },
    required: ['id', 'object', 'name', 'definition', 'dropped', 'created_at', 'updated_at'],
  },
  SavedViewList: { type: 'object', properties: { data: { type: 'array', items: schemaRef('SavedView') } }, required: ['data'] },
  SavedViewCreateRequest: {
    type: 'object',
    additionalProperties: false,
    properties: { object: { type: 'string', description: 'API name of an object you may read.' }, name: NAME, definition: schemaRef('SavedViewDefinition') },
    required: ['object', 'name', 'definition'],
  },
  SavedViewPatch: {
    type: 'object',
    additionalProperties: false,
    minProperties: 1,
    description: 'A new name, a new definition (replacing the whole of it), or both.',
    properties: { name: NAME, definition: schemaRef('SavedViewDefinition') },
  },
  SavedViewDeleted: { type: 'object', properties: { id: { type: 'string', format: 'uuid' } }, required: ['id'] },
};

export const SAVED_VIEWS_TAG = { name: 'saved-views', description: 'Your own saved list views, kept on the server for every browser you use' } as const;

export function savedViewComponents(): DocumentPart {
  return { paths: {}, tags: [SAVED_VIEWS_TAG], schemas };
}
