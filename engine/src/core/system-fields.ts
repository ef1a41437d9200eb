import type { FieldDefinition } from '../documents/types';

/**
 * The system columns of every record table (DESIGN.md), described as fields so that filters,
 * sorts, layouts and rules treat them like any other. Only owner_id is writable.
 */
export function systemFieldDefinitions(objectName: string): readonly FieldDefinition[] {
  return [
    { name: 'id', type: 'lookup', target: objectName, label: { en: 'ID', 'zh-CN': 'ID' }, read_only: true },
    { name: 'created_at', type: 'datetime', label: { en: 'Created at', 'zh-CN': '创建时间' }, read_only: true },
    { name: 'updated_at', type: 'datetime', label: { en: 'Updated at', 'zh-CN': '更新时间' }, read_only: true },
    { name: 'created_by', type: 'user', label: { en: 'Created by', 'zh-CN': '创建人' }, read_only: true },
    { name: 'updated_by', type: 'user', label: { en: 'Updated by', 'zh-CN': '最后修改人' }, read_only: true },
    { name: 'owner_id', type: 'user', label: { en: 'Owner', 'zh-CN': '负责人' } },
    { name: 'version', type: 'integer', label: { en: 'Version', 'zh-CN': '版本' }, read_only: true },
    { name: 'deleted_at', type: 'datetime', label: { en: 'Deleted at', 'zh-CN': '删除时间' }, read_only: true },
  ];
}
