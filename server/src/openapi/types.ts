import type { CompiledMetadata } from '@crm/engine';

/**
 * The slice of OpenAPI 3.1 this folder writes. Schemas are JSON Schema 2020-12 documents, kept
 * as open keyword maps (like the engine's JsonSchema) because field types contribute arbitrary
 * keywords; the document's outer structure is typed so that a misspelt part fails to compile.
 */

export interface SchemaObject {
  readonly [keyword: string]: unknown;
}

// A type alias (not an interface) so that a reference also fits where a SchemaObject is expected.
export type ReferenceObject = {
  readonly $ref: string;
  readonly description?: string;
};

export interface MediaTypeObject {
  readonly schema: SchemaObject;
}

export interface HeaderObject {
  readonly description: string;
  readonly required?: boolean;
  readonly schema: SchemaObject;
}

export interface ResponseObject {
  readonly description: string;
  readonly headers?: Readonly<Record<string, HeaderObject | ReferenceObject>>;
  readonly content?: Readonly<Record<string, MediaTypeObject>>;
}

export interface ParameterObject {
  readonly name: string;
  readonly in: 'query' | 'header' | 'path' | 'cookie';
  readonly description?: string;
  readonly required?: boolean;
  readonly style?: 'form' | 'simple';
  readonly explode?: boolean;
  readonly schema: SchemaObject;
}

export interface RequestBodyObject {
  readonly description?: string;
  readonly required: boolean;
  readonly content: Readonly<Record<string, MediaTypeObject>>;
}

export type SecurityRequirement = Readonly<Record<string, readonly string[]>>;

export interface OperationObject {
  readonly operationId: string;
  readonly summary: string;
  readonly description?: string;
  readonly tags: readonly string[];
  readonly security: readonly SecurityRequirement[];
  readonly parameters?: readonly (ParameterObject | ReferenceObject)[];
  readonly requestBody?: RequestBodyObject;
  readonly responses: Readonly<Record<string, ResponseObject | ReferenceObject>>;
}

export type HttpMethod = 'get' | 'post' | 'patch' | 'delete';

export type PathItemObject = Partial<Record<HttpMethod, OperationObject>> & {
  readonly parameters?: readonly (ParameterObject | ReferenceObject)[];
};

export interface TagObject {
  readonly name: string;
  readonly description?: string;
}

export interface SecuritySchemeObject {
  readonly type: 'http' | 'apiKey';
  readonly scheme?: string;
  readonly bearerFormat?: string;
  readonly in?: 'header' | 'cookie';
  readonly name?: string;
  readonly description: string;
}

export interface ComponentsObject {
  readonly schemas: Readonly<Record<string, SchemaObject>>;
  readonly responses: Readonly<Record<string, ResponseObject>>;
  readonly parameters: Readonly<Record<string, ParameterObject>>;
  readonly headers: Readonly<Record<string, HeaderObject>>;
  readonly securitySchemes: Readonly<Record<string, SecuritySchemeObject>>;
}

export interface OpenApiDocument {
  readonly openapi: '3.1.0';
  readonly info: {
    readonly title: string;
    readonly version: string;
    readonly description: string;
    /** The metadata revision the document was built from. */
    readonly 'x-crm-revision': number;
    /** Whom it describes the API to: a signed-in user (their objects only) or an anonymous caller (no object). */
    readonly 'x-crm-viewer': 'anonymous' | 'user';
  };
  readonly tags: readonly TagObject[];
  readonly paths: Readonly<Record<string, PathItemObject>>;
  readonly components: ComponentsObject;
}

/** The parts a group of routes contributes to the document. */
export interface DocumentPart {
  readonly paths: Readonly<Record<string, PathItemObject>>;
  readonly tags?: readonly TagObject[];
  readonly schemas?: Readonly<Record<string, SchemaObject>>;
  readonly parameters?: Readonly<Record<string, ParameterObject>>;
  readonly headers?: Readonly<Record<string, HeaderObject>>;
}

// The engine exports CompiledMetadata but not its parts; derive them so this folder names them.
export type CompiledObject = ReturnType<CompiledMetadata['objects']>[number];
export type CompiledField = CompiledObject['fields'][number];

/** `#/components/schemas/<name>` */
export function schemaRef(name: string): ReferenceObject {
  return { $ref: `#/components/schemas/${name}` };
}
