import { DeleteOutlined, PlusOutlined } from '@ant-design/icons';
import { Button, DatePicker, Input, InputNumber, Segmented, Select, Space, Tag } from 'antd';
import dayjs from 'dayjs';
import { useId } from 'react';
import { useTranslation } from 'react-i18next';
import type { ClientText } from '@crm/engine/core';
import { textOf } from '../metadata/labels';
import type { UiLocale } from '../i18n/i18n';
import type { FilterField } from './filter-kinds';
import { ReferencePicker } from './ReferencePicker';
import { NO_VALUE, OPERATORS, emptyGroup, type FilterCondition, type FilterGroup, type FilterNode } from './filter-tree';

export interface FilterBuilderProps {
  readonly fields: readonly FilterField[];
  readonly value: FilterGroup;
  readonly onChange: (value: FilterGroup) => void;
}

/** Nested and/or groups of conditions; each field offers the operators of its kind (filter-tree.ts). */
export function FilterBuilder({ fields, value, onChange }: FilterBuilderProps) {
  return <GroupEditor fields={fields} group={value} onChange={onChange} depth={0} />;
}

function GroupEditor({ fields, group, onChange, onRemove, depth }: { fields: readonly FilterField[]; group: FilterGroup; onChange: (g: FilterGroup) => void; onRemove?: () => void; depth: number }) {
  const { t } = useTranslation();
  const set = (index: number, node: FilterNode | undefined) =>
    onChange({ ...group, children: node === undefined ? group.children.filter((_, i) => i !== index) : group.children.map((child, i) => (i === index ? node : child)) });
  const first = fields[0];
  const addCondition = () => first && onChange({ ...group, children: [...group.children, { type: 'condition', field: first.name, operator: OPERATORS[first.kind][0]! }] });
  return (
    <div className={depth > 0 ? 'filter-group filter-group--nested' : 'filter-group'} role="group" aria-label={t('filters.group')}>
      <div className="filter-group__head">
        <Segmented
          size="middle"
          value={group.join}
          onChange={(join) => onChange({ ...group, join: join as 'and' | 'or' })}
          options={[
            { value: 'and', label: t('filters.and') },
            { value: 'or', label: t('filters.or') },
          ]}
          aria-label={t('filters.join')}
        />
        {onRemove && <Button type="text" icon={<DeleteOutlined />} onClick={onRemove} aria-label={t('filters.removeGroup')} className="touch" />}
      </div>
      {group.children.map((child, index) =>
        child.type === 'group' ? (
          <GroupEditor key={index} fields={fields} group={child} onChange={(g) => set(index, g)} onRemove={() => set(index, undefined)} depth={depth + 1} />
        ) : child.type === 'raw' ? (
          <div key={index} className="filter-row">
            <Tag className="filter-raw" title={JSON.stringify(child.logic)}>
              {t('filters.advanced')}
            </Tag>
            <Button type="text" icon={<DeleteOutlined />} onClick={() => set(index, undefined)} aria-label={t('filters.remove')} className="touch" />
          </div>
        ) : (
          <ConditionEditor key={index} fields={fields} condition={child} onChange={(c) => set(index, c)} onRemove={() => set(index, undefined)} />
        ),
      )}
      <Space wrap>
        <Button icon={<PlusOutlined />} onClick={addCondition} className="touch">
          {t('filters.addCondition')}
        </Button>
        {depth < 2 && (
          <Button icon={<PlusOutlined />} onClick={() => onChange({ ...group, children: [...group.children, emptyGroup(group.join === 'and' ? 'or' : 'and')] })} className="touch">
            {t('filters.addGroup')}
          </Button>
        )}
      </Space>
    </div>
  );
}

function ConditionEditor({ fields, condition, onChange, onRemove }: { fields: readonly FilterField[]; condition: FilterCondition; onChange: (c: FilterCondition) => void; onRemove: () => void }) {
  const { t } = useTranslation();
  const id = useId();
  const field = fields.find((f) => f.name === condition.field);
  const operators = field ? OPERATORS[field.kind] : [];
  return (
    <div className="filter-row">
      <Select
        aria-label={t('filters.field')}
        className="filter-row__field"
        showSearch={{ optionFilterProp: 'label' }}
        value={condition.field}
        options={fields.map((f) => ({ value: f.name, label: f.label }))}
        onChange={(name: string) => {
          const next = fields.find((f) => f.name === name)!;
          onChange({ type: 'condition', field: name, operator: OPERATORS[next.kind][0]! });
        }}
      />
      <Select
        aria-label={t('filters.operator')}
        className="filter-row__operator"
        value={condition.operator}
        options={operators.map((op) => ({ value: op, label: t(`filters.op.${op}`) }))}
        onChange={(operator) => onChange({ type: 'condition', field: condition.field, operator, ...(NO_VALUE.has(operator) ? {} : condition.value !== undefined ? { value: condition.value } : {}) })}
      />
      {field && !NO_VALUE.has(condition.operator) && (
        <div className="filter-row__value">
          <OperandInput id={id} field={field} condition={condition} onChange={onChange} />
        </div>
      )}
      <Button type="text" icon={<DeleteOutlined />} onClick={onRemove} aria-label={t('filters.remove')} className="touch" />
    </div>
  );
}

function OperandInput({ id, field, condition, onChange }: { id: string; field: FilterField; condition: FilterCondition; onChange: (c: FilterCondition) => void }) {
  const { t, i18n } = useTranslation();
  const locale = i18n.language as UiLocale;
  const set = (value: unknown, to?: unknown) => onChange({ ...condition, value, ...(to !== undefined ? { to } : condition.to !== undefined && condition.operator === 'between' ? { to: condition.to } : {}) });
  const label = t('filters.value');
  if (condition.operator === 'last_n_days') {
    return <InputNumber aria-label={t('filters.days')} min={1} max={3650} value={Number(condition.value) || undefined} onChange={(n) => set(n === null ? undefined : n)} suffix={t('filters.daysSuffix')} />;
  }
  switch (field.kind) {
    case 'number': {
      const input = (value: unknown, onValue: (v: string) => void, aria: string) => (
        <Input aria-label={aria} inputMode="decimal" value={value === undefined ? '' : String(value)} onChange={(e) => onValue(e.target.value)} style={{ width: 140 }} />
      );
      return condition.operator === 'between' ? (
        <Space.Compact>
          {input(condition.value, (v) => set(v), t('filters.from'))}
          {input(condition.to, (v) => onChange({ ...condition, to: v }), t('filters.to'))}
        </Space.Compact>
      ) : (
        input(condition.value, (v) => set(v), label)
      );
    }
    case 'date':
    case 'datetime': {
      const asDay = (v: unknown) => (typeof v === 'string' && v ? dayjs(v) : null);
      if (condition.operator === 'between') {
        return (
          <DatePicker.RangePicker
            aria-label={label}
            value={[asDay(condition.value), asDay(condition.to)]}
            onChange={(range) => onChange({ ...condition, value: range?.[0]?.format('YYYY-MM-DD'), to: range?.[1]?.format('YYYY-MM-DD') })}
          />
        );
      }
      return <DatePicker aria-label={label} value={asDay(condition.value)} onChange={(d) => set(d ? d.format('YYYY-MM-DD') : undefined)} />;
    }
    case 'select':
    case 'multiselect': {
      const options = (Array.isArray(field.descriptor.options) ? (field.descriptor.options as { value: string; label: ClientText }[]) : []).map((o) => ({ value: o.value, label: textOf(o.label, locale, o.value) }));
      return <Select id={id} aria-label={label} mode="multiple" value={(condition.value as string[] | undefined) ?? []} options={options} onChange={(v) => set(v)} style={{ minWidth: 200 }} optionFilterProp="label" />;
    }
    case 'reference': {
      const target = typeof field.descriptor.target === 'string' ? field.descriptor.target : undefined;
      return <ReferencePicker id={id} ariaLabel={label} target={target} allowMe={target === undefined} value={condition.value as string | undefined} onChange={(v) => set(v)} />;
    }
    default: {
      // Editing the text of a condition saved case-sensitive makes it ignore case like the others.
      const { matchCase, ...rest } = condition;
      const input = <Input id={id} aria-label={label} value={condition.value === undefined ? '' : String(condition.value)} onChange={(e) => onChange({ ...rest, value: e.target.value })} />;
      return matchCase ? (
        <Space size={4} wrap>
          {input}
          <Tag title={t('filters.matchCaseHint')}>{t('filters.matchCase')}</Tag>
        </Space>
      ) : (
        input
      );
    }
  }
}
