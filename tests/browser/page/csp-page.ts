import { moduleCompilers, type StandaloneModule } from '../../../engine/src/core/module-compilers';
import { checkRecordInput } from '../../../engine/src/core/check-record-input';
import { inputDocumentsOf } from '../../../engine/src/core/client-documents';
import { compileInputObject } from '../../../engine/src/core/input-object';
import { nameFieldsByLabel } from '../../../engine/src/records/field-labels';
import type { CrmError } from '../../../engine/src/errors';
import type { ClientMetadata } from '../../../engine/src/projection/client-projection-types';
import { compileToClosures } from '../../../engine/src/rules/closure-evaluator';
import type { RuleMode } from '../../../engine/src/rules/js-generator';
import { outcomeText } from './outcome-text';

/**
 * The script of the pages tests/browser/rules-under-csp.test.ts opens under
 * `Content-Security-Policy: script-src 'self'` (bundled by esbuild; no inline script). It loads
 * a generated rules module with import(), runs what the page's data-check asks for, and writes
 * the results as JSON into #results, then marks it data-done.
 */

interface Element {
  textContent: string | null;
  setAttribute(name: string, value: string): void;
}
declare const document: { getElementById(id: string): Element | null; body: { dataset: Record<string, string | undefined> } };

interface SuiteCase {
  rule: unknown;
  data: unknown;
}

/** Whether this page may evaluate strings: under the policy, new Function throws an EvalError. */
function evalProbe(): string {
  try {
    // eslint-disable-next-line no-new-func -- the probe itself.
    return (new Function('return 1') as () => number)() === 1 ? 'allowed' : 'odd';
  } catch (error) {
    return (error as Error).name;
  }
}

async function load(url: string): Promise<StandaloneModule> {
  return (await import(/* @vite-ignore */ url)) as StandaloneModule;
}

async function json<T>(url: string): Promise<T> {
  const response = await fetch(url);
  if (!response.ok) throw new Error(`${url} answered ${response.status}`);
  return (await response.json()) as T;
}

/** Both suite files and the lower cases, parsed here (JSON.parse keeps -0 and own "__proto__" keys as Node's does). */
async function conformance() {
  const [tests, compatible, lower] = await Promise.all([
    json<unknown[]>('/csp/suites/tests.json'),
    json<unknown[]>('/csp/suites/compatible.json'),
    json<SuiteCase[]>('/csp/lower.json'),
  ]);
  const suites: Record<string, SuiteCase[]> = {
    reference: tests.filter((t): t is [unknown, unknown] => Array.isArray(t)).map(([rule, data]) => ({ rule, data })),
    compatible: compatible
      .filter((t): t is { rule: unknown; data?: unknown } => typeof t === 'object' && t !== null)
      .map((t) => ({ rule: t.rule, data: t.data })),
    lower,
  };
  const started = performance.now();
  const compilers = moduleCompilers(await load('/csp/conformance-module.js'), 'the conformance module');
  const results: Record<string, { module: string; condition: string; closures: string }[]> = {};
  for (const [suite, cases] of Object.entries(suites)) {
    results[suite] = cases.map(({ rule, data }) => ({
      module: outcomeText(() => compilers.rule(rule, 'value')(data)),
      condition: outcomeText(() => compilers.rule(rule, 'boolean')(data)),
      closures: outcomeText(() => compileToClosures(rule)(data)),
    }));
  }
  const { schemas, inputs } = await json<{ schemas: unknown[]; inputs: unknown[] }>('/csp/schemas.json');
  const validators = schemas.map((schema) =>
    inputs.map((input) => {
      const validate = compilers.schema(schema as Record<string, unknown>);
      const valid = validate(input);
      return { valid, errors: validate.errors ?? null };
    }),
  );
  return { results, validators, milliseconds: performance.now() - started };
}

/** The workspace's rules from the server's module route, on the inputs the test also sent to the API. */
async function workspace() {
  const spec = await json<{ moduleUrl: string; rules: { name: string; rule: unknown; mode: RuleMode }[]; inputs: unknown[] }>('/csp/workspace.json');
  const compilers = moduleCompilers(await load(spec.moduleUrl), spec.moduleUrl);
  return {
    results: spec.inputs.map((input) => Object.fromEntries(spec.rules.map(({ name, rule, mode }) => [name, outcomeText(() => compilers.rule(rule, mode)(input))]))),
  };
}

/**
 * What a form does: the user's projection, its rules module, the object compiled from the
 * projection's documents, each input checked by core's checkRecordInput; the error bodies in
 * both languages (or the accepted values) go back to the test, which compares them with the API's.
 */
async function form() {
  const spec = await json<{ object: string; inputs: unknown[] }>('/csp/form.json');
  const metadata = await json<ClientMetadata & { rules_module: string }>('/api/meta/client');
  const compilers = moduleCompilers(await load(metadata.rules_module), metadata.rules_module);
  const projected = metadata.objects.find((o) => o.name === spec.object);
  if (!projected) throw new Error(`${spec.object} is not in the projection`);
  const object = compileInputObject(inputDocumentsOf(projected), compilers);
  const context = { user: { id: metadata.user.id }, now: new Date() };
  return {
    results: spec.inputs.map((input) => {
      const result = checkRecordInput(object, input, { context });
      if (result.ok) return { ok: true, total: object.formulas.length };
      // As the API names fields: by their labels (the projection holds no hidden field to hide).
      const error = nameFieldsByLabel(result.error, object, new Set()) as CrmError;
      return { ok: false, status: error.status, en: error.toBody('en'), zh: error.toBody('zh-CN') };
    }),
  };
}

async function main(): Promise<unknown> {
  const evalBlocked = evalProbe();
  const check = document.body.dataset.check;
  const results =
    check === 'conformance'
      ? await conformance()
      : check === 'workspace'
        ? await workspace()
        : check === 'form'
          ? await form()
          : check === 'control'
            ? {}
            : { failed: `unknown check ${check}` };
  return { evalBlocked, ...results };
}

const out = document.getElementById('results')!;
main()
  .catch((error: unknown) => ({ failed: error instanceof Error ? `${error.name}: ${error.message}\n${error.stack}` : String(error) }))
  .then((report) => {
    out.textContent = JSON.stringify(report);
    out.setAttribute('data-done', '');
  });
