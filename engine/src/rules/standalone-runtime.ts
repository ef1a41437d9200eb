import equalModule from 'ajv/dist/runtime/equal.js';
import ucs2lengthModule from 'ajv/dist/runtime/ucs2length.js';
import { fullFormats } from 'ajv-formats/dist/formats.js';

/**
 * What AJV's standalone validator code imports, handed to it instead of a module loader. AJV
 * writes `require("ajv/dist/runtime/ucs2length").default` (string lengths in code points),
 * `require("ajv/dist/runtime/equal").default` (const and enum of objects) and
 * `require("ajv-formats/dist/formats").fullFormats.date` (formats that are functions, not
 * regular expressions) even when asked for ES modules; the generated module runs that code
 * inside a function whose `require` parameter is `standaloneRequire`. So the page needs no
 * second file and no import map, and the same bundle that holds the rules runtime holds these.
 * The generator refuses validator code that asks for anything else (STANDALONE_MODULES).
 */

// CommonJS modules: Node's ESM interop gives the exports object, bundlers the default export.
const cjsDefault = <T>(module: T | { default: T }): T =>
  typeof module === 'function' ? (module as T) : (module as { default: T }).default;

const modules: Readonly<Record<string, unknown>> = Object.freeze({
  'ajv/dist/runtime/ucs2length': Object.freeze({ default: cjsDefault(ucs2lengthModule) }),
  'ajv/dist/runtime/equal': Object.freeze({ default: cjsDefault(equalModule) }),
  'ajv-formats/dist/formats': Object.freeze({ fullFormats }),
});

/** The module names standalone validator code may ask for. */
export const STANDALONE_MODULES: readonly string[] = Object.freeze(Object.keys(modules));

export function standaloneRequire(name: string): unknown {
  if (!Object.prototype.hasOwnProperty.call(modules, name)) throw new Error(`standalone validators: no runtime module "${name}"`);
  return modules[name];
}
