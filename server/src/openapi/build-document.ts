import type { CompiledMetadata } from '@crm/engine';
import { authPaths } from './auth-paths';
import { errorResponses, errorSchemas } from './error-schemas';
import { typeContextOf } from './field-value-schemas';
import { healthPaths } from './health-paths';
import { metadataPaths } from './metadata-paths';
import { recordPaths } from './record-paths';
import { CSRF_HEADER, securitySchemes } from './security';
import type { DocumentPart, OpenApiDocument } from './types';

/**
 * The whole OpenAPI 3.1 document for one metadata revision: fixed parts (auth, metadata,
 * health, errors, security) and one set of record paths and schemas per live object. A pure
 * function of the compiled metadata; document-cache.ts decides when it runs.
 */

const DESCRIPTION = `The HTTP API of the CRM, generated from its metadata: every object has its own record paths and schemas.

Authenticate with an API token (\`Authorization: Bearer ...\`) or a browser session (the cookie set by sign-in; POST, PATCH and DELETE then also need \`${CSRF_HEADER}\`).
Errors always have the shape of the \`Error\` schema, with messages in English or Chinese (Accept-Language: zh-CN).
Decimal, currency and percent values come back as exact strings ("1234.50"); input accepts a number or a string.
This document changes with the metadata: \`info.x-crm-revision\` is the metadata revision it describes.`;

type Named<T> = Readonly<Record<string, T>>;

/** One map from several parts; a name defined twice is a bug in this folder, never silently overwritten. */
function mergeNamed<T>(kind: string, maps: readonly (Named<T> | undefined)[]): Record<string, T> {
  const merged: Record<string, T> = {};
  for (const map of maps) {
    for (const [name, value] of Object.entries(map ?? {})) {
      if (name in merged) throw new Error(`OpenAPI ${kind} "${name}" is defined twice`);
      merged[name] = value;
    }
  }
  return merged;
}

function mergeParts(parts: readonly DocumentPart[]) {
  return {
    paths: mergeNamed('path', parts.map((p) => p.paths)),
    schemas: mergeNamed('schema', parts.map((p) => p.schemas)),
    parameters: mergeNamed('parameter', parts.map((p) => p.parameters)),
    headers: mergeNamed('header', parts.map((p) => p.headers)),
    tags: parts.flatMap((p) => p.tags ?? []),
  };
}

export function buildOpenApiDocument(metadata: CompiledMetadata): OpenApiDocument {
  const objects = [...metadata.objects()].sort((a, b) => a.name.localeCompare(b.name));
  const parts = mergeParts([
    healthPaths(),
    authPaths(),
    metadataPaths(),
    recordPaths(objects, typeContextOf(metadata)),
    { paths: {}, schemas: errorSchemas() },
  ]);
  return {
    openapi: '3.1.0',
    info: {
      title: 'CRM API',
      version: `revision-${metadata.revision}`,
      description: DESCRIPTION,
      'x-crm-revision': metadata.revision,
    },
    tags: parts.tags,
    paths: parts.paths,
    components: {
      schemas: parts.schemas,
      responses: errorResponses(),
      parameters: parts.parameters,
      headers: parts.headers,
      securitySchemes,
    },
  };
}
