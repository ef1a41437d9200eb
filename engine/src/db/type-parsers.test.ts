import { describe, expect, it } from 'vitest';
import { timestamptzToIso } from './type-parsers';

describe('timestamptzToIso', () => {
  it('reads every form a UTC session sends, to the millisecond, truncating finer fractions', () => {
    expect(timestamptzToIso('2024-01-05 10:00:00+00')).toBe('2024-01-05T10:00:00.000Z');
    expect(timestamptzToIso('2024-01-05 10:00:00.1+00')).toBe('2024-01-05T10:00:00.100Z');
    expect(timestamptzToIso('2024-01-05 10:00:00.12+00')).toBe('2024-01-05T10:00:00.120Z');
    expect(timestamptzToIso('2024-01-05 10:00:00.123+00')).toBe('2024-01-05T10:00:00.123Z');
    expect(timestamptzToIso('2024-01-05 10:00:00.123456+00')).toBe('2024-01-05T10:00:00.123Z');
    expect(timestamptzToIso('0001-12-31T23:59:59.999999+00')).toBe('0001-12-31T23:59:59.999Z');
    for (let i = 0; i < 500; i++) {
      const iso = new Date(Date.UTC(1900 + (i % 200), i % 12, (i % 28) + 1, i % 24, (i * 7) % 60, (i * 13) % 60, i % 1000)).toISOString();
      const micros = String((i * 37) % 1000).padStart(3, '0');
      expect(timestamptzToIso(`${iso.slice(0, 10)} ${iso.slice(11, 23)}${micros}+00`)).toBe(iso);
    }
  });

  it('gives the same instant for other offsets, and passes through what has no ISO form', () => {
    expect(timestamptzToIso('2024-01-05 10:00:00.5+00:00')).toBe('2024-01-05T10:00:00.500Z');
    expect(timestamptzToIso('2024-01-05 10:00:00-00')).toBe('2024-01-05T10:00:00.000Z');
    expect(timestamptzToIso('2024-01-05 10:00:00.25+05:30')).toBe('2024-01-05T04:30:00.250Z');
    expect(timestamptzToIso('2024-01-05 10:00:00-08')).toBe('2024-01-05T18:00:00.000Z');
    for (const odd of ['infinity', '-infinity', '2024-01-05 10:00:00+00 BC', '2024-01-05 10:00:00.+00', '2024-01-05 1x:00:00+00', '2024/01/05 10:00:00+00']) {
      expect(timestamptzToIso(odd)).toBe(odd);
    }
    expect(timestamptzToIso('12024-01-05 10:00:00+00')).toBe('12024-01-05T10:00:00.000Z');
  });
});
