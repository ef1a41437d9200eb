// Moved to core/check-validation-rules.ts (the browser-safe core); kept so existing imports resolve.
export * from '../core/check-validation-rules';
