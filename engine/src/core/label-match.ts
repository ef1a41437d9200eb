/**
 * Whether a label (one text, or one per language) reads as `text` in some language, case and
 * surrounding spaces aside. Imports match a column header to a field and a cell to an option
 * this way, on the server and in the browser's import dialog alike.
 */
export function labelReadsAs(label: unknown, text: string): boolean {
  const wanted = text.trim().toLowerCase();
  const labels = typeof label === 'string' ? [label] : label !== null && typeof label === 'object' ? Object.values(label as Record<string, unknown>) : [];
  return labels.some((candidate) => typeof candidate === 'string' && candidate.trim().toLowerCase() === wanted);
}
