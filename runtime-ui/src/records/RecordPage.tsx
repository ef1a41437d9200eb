// The route imports this path; the record page lives in its feature folder.
export { default } from './page/RecordPage';
