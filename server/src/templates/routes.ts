import { CrmError, installTemplate, mayInstallTemplates, type FieldIssue } from '@crm/engine';
import { readTemplate, templateNames } from '@crm/templates';
import { actorOf } from '../http/request-context';
import { defineRoute, type DeclaredRoute } from '../http/route-declaration';
import type { RouteDeps } from '../http/route-deps';
import { jsonBody, jsonResponse } from '../openapi/operations';
import { TEMPLATES_TAG } from '../openapi/template-schemas';
import { schemaRef } from '../openapi/types';

/**
 * Templates for administrators (/api/templates): the ones shipped with the server, and installing
 * one of them, or a template document a partner publishes, into the running CRM: one transaction
 * through the same metadata and record services as an analyst (engine/src/templates).
 */

const tag = TEMPLATES_TAG.name;

interface TemplateDocument {
  readonly name?: unknown;
  readonly version?: unknown;
  readonly label?: unknown;
  readonly description?: unknown;
  readonly objects?: readonly { readonly name?: unknown }[];
  readonly sample_data?: unknown;
}

const objectNames = (document: TemplateDocument) => (Array.isArray(document.objects) ? document.objects.map((object) => String(object.name)) : []);

function shipped(name: string): TemplateDocument {
  if (!templateNames().includes(name)) throw new CrmError('template_not_found', { name });
  return readTemplate(name) as TemplateDocument;
}

/** The install request, checked for its shape (the template itself is the engine's to check). */
function installRequest(body: unknown): { template: unknown; sampleData: boolean } {
  const input = (body !== null && typeof body === 'object' && !Array.isArray(body) ? body : {}) as Record<string, unknown>;
  const issues: FieldIssue[] = [];
  for (const key of Object.keys(input)) if (!['template', 'package', 'sample_data'].includes(key)) issues.push({ path: key, code: 'unknown_field' });
  if (input.template !== undefined && typeof input.template !== 'string') issues.push({ path: 'template', code: 'type', params: { expected: 'a string' } });
  if (input.package !== undefined && (input.package === null || typeof input.package !== 'object' || Array.isArray(input.package))) issues.push({ path: 'package', code: 'type', params: { expected: 'an object' } });
  if (input.sample_data !== undefined && typeof input.sample_data !== 'boolean') issues.push({ path: 'sample_data', code: 'type', params: { expected: 'true or false' } });
  if ((input.template === undefined) === (input.package === undefined)) issues.push({ path: 'template', code: 'required' });
  if (issues.length) throw new CrmError('validation_failed', {}, issues);
  return { template: typeof input.template === 'string' ? shipped(input.template) : input.package, sampleData: input.sample_data === true };
}

export const templateRoutes: readonly DeclaredRoute<RouteDeps>[] = [
  defineRoute({
    method: 'GET',
    url: '/api/templates',
    access: 'admin',
    openapi: {
      operationId: 'list_templates',
      summary: 'List the shipped templates',
      description: 'Each with the objects it creates and which of them exist already.',
      tag,
      responses: { 200: jsonResponse('The templates.', schemaRef('ShippedTemplateList')) },
      errors: [403],
    },
    handler: async (request, _reply, { engine }) => {
      const actor = actorOf(request);
      await mayInstallTemplates(engine, actor);
      const existing = new Set((await engine.objects.list(actor)).map((object) => object.name));
      return {
        data: templateNames().map((name) => {
          const document = shipped(name);
          const objects = objectNames(document);
          const there = objects.filter((object) => existing.has(object));
          return {
            name,
            version: String(document.version),
            label: document.label,
            ...(document.description !== undefined ? { description: document.description } : {}),
            objects,
            existing_objects: there,
            installed: objects.length > 0 && there.length === objects.length,
            sample_data: document.sample_data !== undefined,
          };
        }),
      };
    },
  }),
  defineRoute({
    method: 'POST',
    url: '/api/templates/install',
    access: 'admin',
    openapi: {
      operationId: 'install_template',
      summary: 'Install a template',
      description:
        'A shipped template by name, or a whole template document (a partner’s module). One transaction: a template refused anywhere, down to its last sample record, creates nothing, and the error says where (400 `metadata_invalid` with paths into the template, 400 `validation_failed` for a sample record, 409 when an object of the same name exists). Every change it makes is recorded in the audit log as the caller’s. Other requests see its objects once it has committed.',
      tag,
      requestBody: jsonBody(schemaRef('TemplateInstallRequest')),
      responses: { 201: jsonResponse('What the install created.', schemaRef('TemplateInstallReport')) },
      errors: [403, 404, 409],
    },
    handler: async (request, reply, { engine }) => {
      const { template, sampleData } = installRequest(request.body);
      const report = await installTemplate(engine, actorOf(request), template, { sampleData });
      const document = template as TemplateDocument;
      return reply.status(201).send({ template: String(document.name), version: String(document.version), ...report });
    },
  }),
];
