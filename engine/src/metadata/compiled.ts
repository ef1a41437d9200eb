// Moved to core/compiled.ts (the browser-safe core); kept so existing imports resolve.
export * from '../core/compiled';
