export { buildApp, localeOf, type AppOptions } from './app';
