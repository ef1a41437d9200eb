// Moved to core/rule-scope.ts (the browser-safe core); kept so existing imports resolve.
export * from '../core/rule-scope';
