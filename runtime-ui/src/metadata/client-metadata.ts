import { useQuery } from '@tanstack/react-query';
import type {
  ClientMetadata,
  ClientObject,
  Compilers,
  InputObject,
  StandaloneModule,
} from '@crm/engine/core';
import { api } from '../api/client';

/**
 * The user's metadata (GET /api/meta/client: only what they may see) with the revision's rules
 * module loaded, so forms check input with core's functions under `script-src 'self'`. Objects
 * are compiled on first use and kept per revision.
 */
export interface LoadedMetadata extends ClientMetadata {
  readonly rules_module: string;
  readonly compilers: Compilers;
  object(name: string): ClientObject | undefined;
  /** The object compiled for core's checkRecordInput (cached). */
  inputObject(name: string): InputObject;
}

async function loadModule(url: string): Promise<StandaloneModule> {
  return (await import(/* @vite-ignore */ url)) as StandaloneModule;
}

/**
 * `onProjection` gets the projection as soon as it arrives, before the rules module does: what
 * needs only the objects (the boot's first list rows) can start then.
 */
export async function fetchMetadata(onProjection?: (metadata: ClientMetadata) => void): Promise<LoadedMetadata> {
  // The shared core (checks, formulas, rules) is a chunk of its own, fetched alongside the metadata.
  const projection = api.get<ClientMetadata & { rules_module: string }>('/api/meta/client');
  if (onProjection) void projection.then(onProjection, () => undefined);
  const [metadata, { compileInputObject, inputDocumentsOf, moduleCompilers }] = await Promise.all([projection, import('@crm/engine/core')]);
  const compilers = moduleCompilers(await loadModule(metadata.rules_module), metadata.rules_module);
  const byName = new Map(metadata.objects.map((object) => [object.name, object]));
  const compiled = new Map<string, InputObject>();
  return {
    ...metadata,
    compilers,
    object: (name) => byName.get(name),
    inputObject(name) {
      let input = compiled.get(name);
      if (!input) {
        const object = byName.get(name);
        if (!object) throw new Error(`${name} is not in the metadata`);
        input = compileInputObject(inputDocumentsOf(object), compilers);
        compiled.set(name, input);
      }
      return input;
    },
  };
}

export const METADATA_KEY = ['metadata'] as const;

/** The metadata for screens that render after sign-in (the shell loads it before any of them). */
export function useMetadata(): LoadedMetadata {
  const { data } = useQuery({ queryKey: METADATA_KEY, queryFn: () => fetchMetadata(), staleTime: 30_000 });
  if (!data) throw new Error('useMetadata before the shell loaded the metadata');
  return data;
}

export function useMetadataQuery(signedIn: boolean) {
  return useQuery({ queryKey: METADATA_KEY, queryFn: () => fetchMetadata(), staleTime: 30_000, retry: false, enabled: signedIn });
}
