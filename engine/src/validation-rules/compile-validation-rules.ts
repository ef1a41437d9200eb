// Moved to core/compile-validation-rules.ts (the browser-safe core); kept so existing imports resolve.
export * from '../core/compile-validation-rules';
