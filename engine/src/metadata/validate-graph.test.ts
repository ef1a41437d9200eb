import { describe, expect, it } from 'vitest';
import { reasonText } from '../errors/fill';
import { DocumentKinds } from './document-kind';
import type { MetadataSnapshot } from './snapshot';
import { validateGraph } from './validate-graph';

const deal = { id: 'o1', tableName: 'deal', deletedAt: null, definition: { name: 'deal', label: 'Deal' }, fields: [{ id: 'f1', position: 0, definition: { name: 'amount', type: 'integer', label: 'Amount' } }] };

function issuesOf(snapshot: Partial<MetadataSnapshot>) {
  const issues = validateGraph({ revision: 1, roles: [], departments: [], objects: [deal], ...snapshot } as unknown as MetadataSnapshot, new DocumentKinds([]));
  return issues.map((i) => ({ kind: i.kind, path: i.path, en: reasonText(i.reason, 'en'), zh: reasonText(i.reason, 'zh-CN') }));
}

describe('the whole-graph check of roles and departments', () => {
  it('reports catalogue reasons, in English as before and in Chinese', () => {
    const role = {
      id: 'r1',
      definition: {
        name: 'rep',
        objects: {
          ghost: { read: true },
          deal: { read: false, edit: true, read_scope: 'own', edit_scope: 'all', fields: { nope: 'read', id: 'hidden' } },
          '*': { read: true, fields: { amount: 'read' } },
        },
      },
    };
    expect(issuesOf({ roles: [role] } as unknown as Partial<MetadataSnapshot>)).toEqual([
      { kind: 'role', path: 'objects/ghost', en: 'object "ghost" does not exist', zh: '对象 "ghost" 不存在' },
      { kind: 'role', path: 'objects/deal/edit_scope', en: 'may not reach further than read_scope', zh: '范围不能超过 read_scope' },
      { kind: 'role', path: 'objects/deal/edit', en: 'edit needs read', zh: 'edit 需要 read 权限' },
      { kind: 'role', path: 'objects/deal/fields/nope', en: '"nope" is not a field of deal', zh: '"nope" 不是 deal 的字段' },
      { kind: 'role', path: 'objects/deal/fields/id', en: 'the id cannot be hidden', zh: 'id 不能隐藏' },
      { kind: 'role', path: 'objects/*/fields/amount', en: 'field modes need a named object', zh: '字段模式需要指定具体对象' },
    ]);
  });

  it('refuses a missing parent department and a department under itself', () => {
    const departments = [
      { id: 'd1', name: 'Sales', parentId: 'd9' },
      { id: 'd2', name: 'East', parentId: 'd3' },
      { id: 'd3', name: 'West', parentId: 'd2' },
    ];
    expect(issuesOf({ departments }).map((i) => i.en)).toEqual(['the parent department does not exist', 'a department cannot sit under itself', 'a department cannot sit under itself']);
    expect(issuesOf({ departments }).map((i) => i.zh)).toEqual(['上级部门不存在', '部门不能位于自身之下', '部门不能位于自身之下']);
  });
});
