// Moved to core/validation-rule-scope.ts (the browser-safe core); kept so existing imports resolve.
export * from '../core/validation-rule-scope';
