// Moved to core/client-projection-types.ts (the browser-safe core); kept so existing imports resolve.
export * from '../core/client-projection-types';
