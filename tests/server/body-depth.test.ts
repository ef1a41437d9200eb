import { jsonInputIssue, REQUEST_LIMITS } from '@crm/engine';
import { describe, expect, it } from 'vitest';
import { mayNestDeeperThan } from '../../server/src/http/body-parsers';

/** The body parser skips the depth walk when the text cannot nest too deep: that shortcut must never hide a refusal. */
describe('the body depth shortcut', () => {
  const nested = (depth: number, open: string, close: string, inner = '1') => open.repeat(depth - 1) + inner + close.repeat(depth - 1);
  const objects = (depth: number) => '{"a":'.repeat(depth - 1) + '"x"' + '}'.repeat(depth - 1);

  it('is never false for a body the walk refuses, and false for shallow bodies', () => {
    const max = REQUEST_LIMITS.maxDepth;
    for (const depth of [1, 2, max - 1, max, max + 1, max + 2]) {
      for (const text of [nested(depth, '[', ']'), objects(depth), nested(depth, '[', ']', '"[{[{"')]) {
        const refused = jsonInputIssue(JSON.parse(text), REQUEST_LIMITS) !== undefined;
        expect(refused).toBe(depth > max);
        if (refused) expect(mayNestDeeperThan(text, max)).toBe(true);
      }
    }
    expect(mayNestDeeperThan('{"title":"a","amount":"1.25"}', max)).toBe(false);
    // Brackets inside strings only make it walk when it need not.
    expect(mayNestDeeperThan(JSON.stringify({ text: '['.repeat(max) }), max)).toBe(true);
  });
});
