/** The route's entry (app/App.tsx imports this path); the form lives in records/form/. */
export { default } from './form/RecordFormPage';
