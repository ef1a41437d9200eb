import { createElement, lazy, type ComponentType, type FunctionComponent } from 'react';

export interface Preloadable<P extends object, M> {
  readonly Component: FunctionComponent<P>;
  /** Starts (once) fetching the component's chunk; resolves with its module when it is loaded. */
  readonly preload: () => Promise<M>;
}

/**
 * A lazily loaded component that renders at once when its chunk is already loaded. React.lazy
 * suspends on its first render even then, and React holds back revealing a Suspense boundary's
 * content for up to 300 ms after its fallback showed (FALLBACK_THROTTLE_MS): at boot, where the
 * shell and the route's screen were fetched alongside the metadata, that was a wait for nothing.
 */
export function preloadable<P extends object, M extends { default: ComponentType<P> }>(load: () => Promise<M>): Preloadable<P, M> {
  let loaded: ComponentType<P> | undefined;
  let loading: Promise<M> | undefined;
  const preload = () =>
    (loading ??= load().then(
      (module) => {
        loaded = module.default;
        return module;
      },
      (error: unknown) => {
        loading = undefined; // a later render asks again
        throw error;
      },
    ));
  const Lazy = lazy(preload);
  function Component(props: P) {
    return loaded ? createElement(loaded, props) : createElement(Lazy as ComponentType<P>, props);
  }
  return { Component, preload };
}
