// Moved to core/system-fields.ts (the browser-safe core); kept so existing imports resolve.
export * from '../core/system-fields';
