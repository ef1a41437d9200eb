// The route imports this path; the board lives in its own folder.
export { default } from './board/BoardPage';
