/** The route imports this path; the screen lives in its feature folder. */
export { default } from './list/ListPage';
