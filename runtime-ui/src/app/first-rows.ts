/**
 * The path of each list page's first rows request, as the list built it on the last visit
 * (records/list/list-query.ts): public/early-fetch.js reads it and starts that request beside
 * /api/auth/me and /api/meta/client, instead of after the metadata arrived. Only a guess: the
 * list takes the early answer only when it builds the very same path from the metadata it
 * received (api/client.ts takes early answers by path), and the boot drops what was not taken.
 * A page is `pathname + search`. Keep the key and the shape in step with early-fetch.js.
 */
const STORAGE_KEY = 'crm.firstRows';
/** Enough for the lists a user works in; the oldest goes first. */
const KEPT = 20;

function read(): Record<string, string> {
  try {
    const stored: unknown = JSON.parse(localStorage.getItem(STORAGE_KEY) ?? '{}');
    return stored && typeof stored === 'object' ? (stored as Record<string, string>) : {};
  } catch {
    return {};
  }
}

export function rememberFirstRows(page: string, path: string): void {
  const remembered = read();
  if (remembered[page] === path) return;
  delete remembered[page];
  remembered[page] = path;
  const pages = Object.keys(remembered);
  for (const old of pages.slice(0, Math.max(0, pages.length - KEPT))) delete remembered[old];
  try {
    localStorage.setItem(STORAGE_KEY, JSON.stringify(remembered));
  } catch {
    // Storage full or refused: the next visit asks after the metadata, as without it.
  }
}

/** On sign-out: the next one to sign in on this browser starts from nothing of the last. */
export function forgetFirstRows(): void {
  try {
    localStorage.removeItem(STORAGE_KEY);
  } catch {
    // Nothing stored, or storage refused.
  }
}
