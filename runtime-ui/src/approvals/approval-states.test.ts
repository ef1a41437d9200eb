import { describe, expect, it } from 'vitest';
import { idChunks, STATE_IDS_PER_REQUEST } from './approval-states';

describe('idChunks', () => {
  it('splits ids into groups the API accepts, in order', () => {
    const ids = Array.from({ length: STATE_IDS_PER_REQUEST * 2 + 1 }, (_, i) => `id-${i}`);
    const chunks = idChunks(ids);
    expect(chunks.map((c) => c.length)).toEqual([STATE_IDS_PER_REQUEST, STATE_IDS_PER_REQUEST, 1]);
    expect(chunks.flat()).toEqual(ids);
    expect(idChunks([])).toEqual([]);
  });
});
