// Moved to core/field-labels.ts (the browser-safe core); kept so existing imports resolve.
export * from '../core/field-labels';
