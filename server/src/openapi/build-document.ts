import type { CompiledMetadata } from '@crm/engine';
import { apiRoutes } from '../api-routes';
import { HEALTH_TAG } from '../health/routes';
import type { AnyDeclaredRoute } from '../http/route-declaration';
import { accessComponents } from './access-schemas';
import { approvalComponents } from './approval-schemas';
import { authComponents } from './auth-schemas';
import { declaredPaths } from './declared-paths';
import { describedObjects } from './described-object';
import { clientPaths } from './client-paths';
import { dryRunComponents } from '../metadata/dry-run';
import { errorResponses, errorSchemas } from './error-schemas';
import { jobComponents } from './jobs-schemas';
import { templateComponents } from './template-schemas';
import { savedViewComponents } from './saved-view-schemas';
import { searchComponents } from './search-schemas';
import { workflowComponents } from './workflow-schemas';
import { metadataComponents } from './metadata-schemas';
import { organisationComponents } from './organisation-schemas';
import { withoutUnused } from './prune';
import { recordComponents } from './record-components';
import { OPENAPI_TAG } from './routes';
import { CSRF_HEADER, securitySchemes } from './security';
import type { DocumentPart, OpenApiDocument } from './types';
import { FULL_ACCESS, type Viewer } from './viewer';

/**
 * The whole OpenAPI 3.1 document for one metadata revision and one viewer: fixed parts (auth,
 * metadata, users and departments, roles and audit, health, errors, security) and one set of
 * record paths and schemas per object the viewer may use, cut to what they may do with it. A
 * pure function of the compiled metadata and the viewer; document-cache.ts decides when it runs.
 */

const DESCRIPTION = `The HTTP API of the CRM, generated from its metadata: every object has its own record paths and schemas.

Authenticate with an API token (\`Authorization: Bearer ...\`) or a browser session (the cookie set by sign-in; POST, PATCH and DELETE then also need \`${CSRF_HEADER}\`).
Errors always have the shape of the \`Error\` schema, with messages in English or Chinese (Accept-Language: zh-CN).
Decimal, currency and percent values come back as exact strings ("1234.50"); input accepts a number or a string.
This document changes with the metadata: \`info.x-crm-revision\` is the metadata revision it describes.
It describes what its reader may use: fields hidden from you, objects you may not use and operations your role does not grant are left out.`;

const ANONYMOUS_NOTE = `

**This copy was requested without credentials, so it lists no object.** Request it with your API token (\`Authorization: Bearer ...\`) or your session to get the record paths and schemas of the objects you may use.`;

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

export function buildOpenApiDocument(metadata: CompiledMetadata, viewer: Viewer = FULL_ACCESS, routes: readonly AnyDeclaredRoute[] = apiRoutes): OpenApiDocument {
  const objects = describedObjects(metadata, viewer);
  const parts = mergeParts([
    { paths: declaredPaths(routes, objects, viewer), tags: [HEALTH_TAG, OPENAPI_TAG] },
    authComponents(),
    metadataComponents(),
    organisationComponents(),
    accessComponents(),
    jobComponents(),
    templateComponents(),
    searchComponents(),
    savedViewComponents(),
    workflowComponents(viewer),
    recordComponents(metadata, objects),
    approvalComponents(),
    clientPaths(),
    dryRunComponents(),
    { paths: {}, schemas: errorSchemas() },
  ]);
  return withoutUnused({
    openapi: '3.1.0',
    info: {
      title: 'CRM API',
      version: `revision-${metadata.revision}`,
      description: viewer.kind === 'anonymous' ? DESCRIPTION + ANONYMOUS_NOTE : DESCRIPTION,
      'x-crm-revision': metadata.revision,
      'x-crm-viewer': viewer.kind,
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
  });
}
