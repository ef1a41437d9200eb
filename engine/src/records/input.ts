// Moved to core/record-input.ts (the browser-safe core); kept so existing imports resolve.
export * from '../core/record-input';
