import type { StandaloneModule } from '../core/module-compilers';

/**
 * Imports a generated module's source as an ES module, as a browser would from a URL. A data:
 * URL is loaded by Node itself, not through the test runner's transform (slow on large modules).
 */
export async function importModuleSource(source: string): Promise<StandaloneModule> {
  return (await import(/* @vite-ignore */ `data:text/javascript;base64,${Buffer.from(source).toString('base64')}`)) as StandaloneModule;
}
