// Moved to core/rule-data.ts (the browser-safe core); kept so existing imports resolve.
export * from '../core/rule-data';
