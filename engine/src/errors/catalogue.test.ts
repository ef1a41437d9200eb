import { describe, expect, it } from 'vitest';
import { actionCatalogue, documentKindCatalogue, errorCatalogue, expectationCatalogue, fieldIssueCatalogue, usageCatalogue } from './catalogue';
import { allFieldTypes } from '../field-types';

const placeholders = (text: string) => [...text.matchAll(/\{([a-z_]+)\}/g)].map((m) => m[1]).sort();

describe('error catalogue', () => {
  it('has a message in every language for every code, with the same placeholders', () => {
    for (const [code, def] of Object.entries({ ...errorCatalogue, ...Object.fromEntries(Object.entries(fieldIssueCatalogue).map(([k, v]) => [k, { message: v }])) })) {
      expect(def.message.en, code).not.toBe('');
      expect(def.message['zh-CN'], code).not.toBe('');
      expect(placeholders(def.message['zh-CN']), code).toEqual(placeholders(def.message.en));
    }
  });

  it('has every word of the dependency and permission messages in every language, the Chinese without English in it', () => {
    for (const [key, text] of Object.entries({ ...actionCatalogue, ...documentKindCatalogue, ...usageCatalogue })) {
      expect(text.en, key).not.toBe('');
      expect(placeholders(text['zh-CN']), key).toEqual(placeholders(text.en));
      expect(text['zh-CN'].replace(/\{[a-z_]+\}/g, ''), key).not.toMatch(/[A-Za-z]/);
    }
  });

  it('translates what every field type expects', () => {
    for (const type of allFieldTypes()) expect(expectationCatalogue[type.expected], type.type).toBeTruthy();
  });
});
