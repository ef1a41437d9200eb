import { createElement } from 'react';
import { renderToStaticMarkup } from 'react-dom/server';
import { describe, expect, it } from 'vitest';
import { ObjectIcon } from './object-icons';

const drawn = (name: string | undefined) => renderToStaticMarkup(createElement(ObjectIcon, { name })).match(/aria-label="([a-z-]+)"/)?.[1];

describe('object icons', () => {
  it('draws an icon of the vocabulary by its name, and the generic one for any other name', () => {
    expect(drawn('building')).toBe('bank');
    expect(drawn('target')).toBe('aim');
    for (const name of [undefined, '', 'Building', 'constructor', '__proto__', 'toString']) expect(drawn(name), String(name)).toBe('appstore');
  });
});
