import { createReadStream } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import type { FastifyPluginAsync } from 'fastify';

/**
 * Interactive API docs at /api/docs: Swagger UI from the swagger-ui-dist package, served from
 * node_modules (the product must work offline, so no CDN), pointed at /api/openapi.json. Only
 * the handful of files the page loads are routed, by name, so nothing else in the package is
 * reachable; the routes are plain handlers, not a second @fastify/static registration.
 */

export const DOCS_PATH = '/api/docs';
export const SPEC_PATH = '/api/openapi.json';

const swaggerUiDir = dirname(createRequire(import.meta.url).resolve('swagger-ui-dist/package.json'));

const ASSETS: Readonly<Record<string, string>> = {
  'swagger-ui.css': 'text/css; charset=utf-8',
  'swagger-ui-bundle.js': 'text/javascript; charset=utf-8',
  'favicon-32x32.png': 'image/png',
  'favicon-16x16.png': 'image/png',
};

// A script file rather than inline code, so the page can run under a CSP without 'unsafe-inline'.
// The document is cut to its reader. Fetched with the session cookie it already is; for an API
// token, the spec request carries the token Swagger UI keeps (persistAuthorization), and the
// spec is fetched again whenever the token changes. A token the server refuses (revoked,
// expired) is forgotten and the public document loaded instead, so a stale token never leaves
// the page without a document.
const INITIALIZER = `window.addEventListener('load', function () {
  var root = document.getElementById('swagger-ui');
  var specUrl = root.getAttribute('data-spec-url');
  var retried = false;
  function storedToken() {
    try {
      var stored = JSON.parse(window.localStorage.getItem('authorized') || '{}');
      return stored.apiToken && stored.apiToken.value;
    } catch (error) {
      return undefined;
    }
  }
  function reloadSpec(system) {
    setTimeout(function () { system.specActions.download(specUrl); }, 0);
  }
  function reloadOnChange(original, system) {
    return function () {
      var result = original.apply(null, arguments);
      reloadSpec(system);
      return result;
    };
  }
  window.ui = SwaggerUIBundle({
    url: specUrl,
    dom_id: '#swagger-ui',
    deepLinking: true,
    persistAuthorization: true,
    withCredentials: true,
    presets: [SwaggerUIBundle.presets.apis],
    layout: 'BaseLayout',
    plugins: [function () {
      return { statePlugins: { auth: { wrapActions: { authorize: reloadOnChange, logout: reloadOnChange } } } };
    }],
    requestInterceptor: function (request) {
      var token = request.loadSpec ? storedToken() : undefined;
      if (token) request.headers.Authorization = 'Bearer ' + token;
      return request;
    },
    responseInterceptor: function (response) {
      var isSpec = typeof response.url === 'string' && response.url.split('?')[0].slice(-specUrl.length) === specUrl;
      if (isSpec && response.status === 401 && !retried && storedToken()) {
        retried = true;
        window.localStorage.removeItem('authorized');
        reloadSpec(window.ui);
      }
      return response;
    }
  });
});
`;

const PAGE = `<!DOCTYPE html>
<html lang="en">
  <head>
    <meta charset="utf-8">
    <meta name="viewport" content="width=device-width, initial-scale=1">
    <title>CRM API</title>
    <link rel="stylesheet" href="${DOCS_PATH}/swagger-ui.css">
    <link rel="icon" type="image/png" href="${DOCS_PATH}/favicon-32x32.png" sizes="32x32">
    <link rel="icon" type="image/png" href="${DOCS_PATH}/favicon-16x16.png" sizes="16x16">
  </head>
  <body>
    <div id="swagger-ui" data-spec-url="${SPEC_PATH}"></div>
    <script src="${DOCS_PATH}/swagger-ui-bundle.js"></script>
    <script src="${DOCS_PATH}/initializer.js"></script>
  </body>
</html>
`;

// Swagger UI styles elements inline and shows data: images; everything else comes from here.
const PAGE_CSP = "default-src 'self'; img-src 'self' data:; style-src 'self' 'unsafe-inline'; script-src 'self'; connect-src 'self'";

export const docsPage: FastifyPluginAsync = async (app) => {
  for (const url of [DOCS_PATH, `${DOCS_PATH}/`]) {
    app.get(url, async (_request, reply) =>
      reply.type('text/html; charset=utf-8').header('content-security-policy', PAGE_CSP).header('cache-control', 'no-cache').send(PAGE),
    );
  }
  app.get(`${DOCS_PATH}/initializer.js`, async (_request, reply) =>
    reply.type('text/javascript; charset=utf-8').header('cache-control', 'no-cache').send(INITIALIZER),
  );
  for (const [file, contentType] of Object.entries(ASSETS)) {
    app.get(`${DOCS_PATH}/${file}`, async (_request, reply) =>
      // The package's files change only with its version, i.e. with a deploy: a day of caching is safe.
      reply.type(contentType).header('cache-control', 'public, max-age=86400').send(createReadStream(join(swaggerUiDir, file))),
    );
  }
};
