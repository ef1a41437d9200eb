import { describe, expect, it } from 'vitest';
import { pinyinQuery, pinyinSearchKey, searchKeyColumn } from './search-key';

describe('pinyin search keys', () => {
  it('spells the Chinese of a value in full pinyin and initials, lower case, without tones or spaces', () => {
    expect(pinyinSearchKey('华信科技')).toBe('huaxinkeji hxkj 华信科技');
    expect(pinyinSearchKey('重庆华信 Tech 有限公司')).toBe('chongqinghuaxinyouxiangongsi cqhxyxgs 重庆华信 tech 有限公司');
    expect(pinyinSearchKey('绿色')).toBe('lvse ls 绿色');
  });

  it('gives no key to values without Chinese (they stand for themselves), or that are not text', () => {
    for (const value of ['Acme Inc', 'Émile', '', null, undefined, 42]) expect(pinyinSearchKey(value)).toBeNull();
  });

  it('looks up texts of at least two Latin letters, spaces and case ignored', () => {
    expect(pinyinQuery('HuaXin')).toBe('huaxin');
    expect(pinyinQuery(' hua xin ')).toBe('huaxin');
    expect(pinyinQuery('lü')).toBe('lv');
    for (const text of ['h', '华信', 'hx1', 'a.b', '']) expect(pinyinQuery(text)).toBeUndefined();
  });

  it('names the key column by the field id, apart from every field name', () => {
    expect(searchKeyColumn('01900000-0000-7000-8000-0000000001f1')).toBe('_py_019000000000700080000000000001f1');
  });
});
