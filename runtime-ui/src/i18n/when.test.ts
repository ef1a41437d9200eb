import { describe, expect, it } from 'vitest';
import { timeAgo } from './when';

describe('timeAgo', () => {
  const now = Date.parse('2026-03-10T12:00:00Z');
  it('says how long ago in the user language, a date beyond a week', () => {
    expect(timeAgo('2026-03-10T09:00:00Z', 'en', now)).toBe('3 hours ago');
    expect(timeAgo('2026-03-10T09:00:00Z', 'zh-CN', now)).toBe('3小时前');
    expect(timeAgo('2026-03-10T11:59:40Z', 'en', now)).toBe('this minute');
    expect(timeAgo('2026-03-09T12:00:00Z', 'en', now)).toBe('yesterday');
    expect(timeAgo('2026-01-02T12:00:00Z', 'en', now)).toBe('Jan 2, 2026');
  });
});
