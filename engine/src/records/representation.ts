// Moved to core/representation.ts (the browser-safe core); kept so existing imports resolve.
export * from '../core/representation';
