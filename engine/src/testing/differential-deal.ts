import type { FieldDefinition, ValidationRuleDefinition } from '../documents/types';

/**
 * The object both differential tests check inputs against: core's bundle in Node against the
 * engine (core/browser-bundle.test.ts) and the app's core chunk in a browser against the API
 * (tests/e2e/differential.test.ts). Every kind of check is in it: required, lengths, patterns,
 * exact decimals, ranges, dates, options with dependent ones, multiselect limits, defaults (one a
 * rule), a formula, and validation rules reading `$old`, a formula and several fields (one inactive).
 */
export const DIFFERENTIAL_DEAL_FIELDS: readonly FieldDefinition[] = [
  { name: 'title', type: 'text', label: { en: 'Title', 'zh-CN': '标题' }, required: true, max_length: 20 },
  { name: 'code', type: 'text', label: 'Code', pattern: '^[A-Z]{3}$' },
  { name: 'amount', type: 'currency', label: { en: 'Amount', 'zh-CN': '金额' }, scale: 2, min: 0 },
  { name: 'discount', type: 'percent', label: 'Discount', min: 0, max: 100 },
  { name: 'qty', type: 'integer', label: { en: 'Quantity', 'zh-CN': '数量' }, min: 1, max: 1000 },
  { name: 'close_date', type: 'date', label: 'Close date' },
  { name: 'meeting', type: 'datetime', label: 'Meeting' },
  {
    name: 'stage',
    type: 'select',
    label: { en: 'Stage', 'zh-CN': '阶段' },
    default: 'new',
    options: [
      { value: 'new', label: { en: 'New', 'zh-CN': '新建' } },
      { value: 'proposal', label: 'Proposal' },
      { value: 'won', label: 'Won' },
      { value: 'lost', label: 'Lost' },
    ],
  },
  { name: 'region', type: 'select', label: 'Region', options: [{ value: 'north', label: 'North' }, { value: 'south', label: 'South' }] },
  {
    name: 'city',
    type: 'select',
    label: { en: 'City', 'zh-CN': '城市' },
    controlling_field: 'region',
    options: [
      { value: 'beijing', label: 'Beijing', valid_for: ['north'] },
      { value: 'guangzhou', label: 'Guangzhou', valid_for: ['south'] },
      { value: 'online', label: 'Online' },
    ],
  },
  { name: 'tags', type: 'multiselect', label: 'Tags', options: [{ value: 'a', label: 'A' }, { value: 'b', label: 'B' }, { value: 'c', label: 'C' }], max_selections: 2 },
  { name: 'vip', type: 'boolean', label: 'VIP' },
  { name: 'email', type: 'email', label: 'Email' },
  { name: 'site', type: 'url', label: 'Site' },
  { name: 'note', type: 'textarea', label: 'Note', max_length: 30 },
  { name: 'loss_reason', type: 'text', label: 'Loss reason' },
  { name: 'priority', type: 'integer', label: 'Priority', default: { if: [{ '==': [{ var: 'vip' }, true] }, 1, 3] } },
  { name: 'meta', type: 'json', label: 'Meta' },
  { name: 'net', type: 'formula', label: 'Net', result_type: 'number', scale: 2, expression: { '*': [{ var: 'amount' }, { '-': [1, { '/': [{ var: 'discount' }, 100] }] }] } },
];

export const DIFFERENTIAL_DEAL_RULES: readonly ValidationRuleDefinition[] = [
  {
    name: 'lost_needs_reason',
    condition: { or: [{ '!=': [{ var: 'stage' }, 'lost'] }, { '!!': [{ var: 'loss_reason' }] }] },
    message: { en: 'A lost deal needs a loss reason', 'zh-CN': '输单需要填写原因' },
    fields: ['loss_reason'],
  },
  {
    name: 'won_is_final',
    condition: { or: [{ '!=': [{ var: '$old.stage' }, 'won'] }, { '==': [{ var: 'stage' }, 'won'] }] },
    message: 'A won deal stays won',
    fields: ['stage'],
  },
  {
    name: 'net_at_least_ten',
    condition: { or: [{ '==': [{ var: 'net' }, null] }, { '>=': [{ var: 'net' }, 10] }] },
    message: { en: 'The net amount must be at least 10', 'zh-CN': '净额至少为 10' },
    fields: [],
  },
  {
    name: 'big_orders_have_amount',
    condition: { or: [{ '<=': [{ var: 'qty' }, 100] }, { '!!': [{ var: 'amount' }] }] },
    message: 'A big order needs an amount',
    fields: ['qty', 'amount'],
  },
  {
    name: 'amount_only_grows',
    condition: { or: [{ '==': [{ var: '$old.amount' }, null] }, { '==': [{ var: 'amount' }, null] }, { '>=': [{ var: 'amount' }, { var: '$old.amount' }] }] },
    message: 'The amount may only grow',
    fields: ['amount'],
  },
  { name: 'never_checked', active: false, condition: { '==': [1, 2] }, message: 'inactive', fields: [] },
];
