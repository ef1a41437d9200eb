import { describe, expect, it } from 'vitest';
import { errorCatalogue, expectationCatalogue, fieldIssueCatalogue } from './catalogue';
import { allFieldTypes } from '../field-types';

describe('error catalogue', () => {
  it('has a message in every language for every code, with the same placeholders', () => {
    for (const [code, def] of Object.entries({ ...errorCatalogue, ...Object.fromEntries(Object.entries(fieldIssueCatalogue).map(([k, v]) => [k, { message: v }])) })) {
      const placeholders = (text: string) => [...text.matchAll(/\{([a-z_]+)\}/g)].map((m) => m[1]).sort();
      expect(def.message.en, code).not.toBe('');
      expect(def.message['zh-CN'], code).not.toBe('');
      expect(placeholders(def.message['zh-CN']), code).toEqual(placeholders(def.message.en));
    }
  });

  it('translates what every field type expects', () => {
    for (const type of allFieldTypes()) expect(expectationCatalogue[type.expected], type.type).toBeTruthy();
  });
});
