import { PlusOutlined } from '@ant-design/icons';
import { useQuery } from '@tanstack/react-query';
import type { ClientObject, RelatedList } from '@crm/engine/core';
import { Alert, Button, Card, Empty, List, Table } from 'antd';
import type { ReactNode } from 'react';
import { useWideScreen } from '../../shell/use-wide-screen';
import { useTranslation } from 'react-i18next';
import { Link, useNavigate } from 'react-router';
import { FieldValue } from '../../fields/FieldValue';
import { currentLocale } from '../../i18n/i18n';
import { textOf } from '../../metadata/labels';
import { paths } from '../../shell/navigation';
import { listRecords, recordKeys, type RecordData } from '../record-api';
import { recordTitle, referenceFields } from './record-values';

/**
 * The children of a record (the detail layout's related lists: records of another object whose
 * lookup or master-detail points here), each a compact table with "add", which opens the child's
 * form with the reference filled in (`/o/<child>/new?<field>=<id>`).
 */

const DEFAULT_LIMIT = 10;

/** The list's query: children whose reference is this record, in the list's order. */
export function relatedListParams(list: RelatedList, parentId: string, expand: readonly string[]) {
  return {
    filter: { '==': [{ var: list.field }, parentId] },
    limit: list.limit ?? DEFAULT_LIMIT,
    count: true,
    fields: ['id', 'version', ...list.columns],
    ...(list.sort?.length ? { sort: list.sort.map((s) => (s.direction === 'desc' ? `-${s.field}` : s.field)).join(',') } : {}),
    ...(expand.length ? { expand } : {}),
  };
}

/** The create form of the child with its reference to this record filled in. */
export function addChildPath(list: RelatedList, parentId: string): string {
  return `${paths.create(list.object)}?${new URLSearchParams({ [list.field]: parentId }).toString()}`;
}

export function RelatedListCard({ list, child, parentId }: { list: RelatedList; child: ClientObject; parentId: string }) {
  const { t } = useTranslation();
  const locale = currentLocale();
  const phone = !useWideScreen();
  const navigate = useNavigate();
  const columns = list.columns.flatMap((name) => child.fields.find((field) => field.name === name) ?? []);
  const expand = referenceFields(child).filter((name) => list.columns.includes(name));
  const params = relatedListParams(list, parentId, expand);
  const children = useQuery({ queryKey: recordKeys.list(child.name, params), queryFn: ({ signal }) => listRecords(child.name, params, signal) });
  const title = textOf(list.label, locale) || textOf(child.plural_label ?? child.label, locale, child.name);
  const total = children.data?.total;
  const titleField = child.title_field ?? columns[0]?.name;

  const link = (record: RecordData, content: ReactNode) => <Link to={paths.record(child.name, record.id)}>{content}</Link>;
  const cell = (record: RecordData, name: string) => {
    const field = child.fields.find((f) => f.name === name)!;
    const value = <FieldValue object={child} field={field} value={record[name]} record={record} />;
    return name === titleField ? link(record, value) : value;
  };

  return (
    <Card
      size="small"
      className="record-section related-list"
      title={
        <span>
          {title}
          {total !== undefined && <span className="related-list__count"> ({total})</span>}
        </span>
      }
      extra={
        child.permissions.create && (
          <Button
            size="small"
            className="record-touch"
            icon={<PlusOutlined />}
            aria-label={t('record.addChild', { object: textOf(child.label, locale, child.name) })}
            onClick={() => void navigate(addChildPath(list, parentId))}
          >
            {t('record.add')}
          </Button>
        )
      }
    >
      {children.isError ? (
        <Alert type="error" showIcon title={children.error.message} />
      ) : phone ? (
        <List
          loading={children.isPending}
          dataSource={children.data?.data ?? []}
          locale={{ emptyText: <Empty image={Empty.PRESENTED_IMAGE_SIMPLE} description={t('record.noChildren')} /> }}
          renderItem={(record) => (
            <List.Item className="related-list__card">
              <div className="related-list__card-title">{link(record, recordTitle(child, record))}</div>
              <dl className="related-list__card-fields">
                {columns
                  .filter((field) => field.name !== titleField)
                  .map((field) => (
                    <div key={field.name}>
                      <dt>{textOf(field.label, locale, field.name)}</dt>
                      <dd>{cell(record, field.name)}</dd>
                    </div>
                  ))}
              </dl>
            </List.Item>
          )}
        />
      ) : (
        <Table<RecordData>
          size="small"
          rowKey="id"
          loading={children.isPending}
          pagination={false}
          dataSource={children.data?.data ? [...children.data.data] : []}
          locale={{ emptyText: <Empty image={Empty.PRESENTED_IMAGE_SIMPLE} description={t('record.noChildren')} /> }}
          columns={columns.map((field) => ({ key: field.name, title: textOf(field.label, locale, field.name), render: (_: unknown, record: RecordData) => cell(record, field.name) }))}
        />
      )}
      {total !== undefined && children.data && total > children.data.data.length && (
        <div className="related-list__more">
          <Link to={paths.list(child.name)}>{t('record.showingOf', { shown: children.data.data.length, total })}</Link>
        </div>
      )}
    </Card>
  );
}
