import { useQuery } from '@tanstack/react-query';
import type { ClientField, ClientObject } from '@crm/engine/core';
import { ApiError } from '../api/client';
import { FieldValue } from '../fields/FieldValue';
import { cachedDescriptor } from '../fields/display/display-context';
import { recordTitle } from '../fields/inputs/lookup-search';
import { useMetadata } from '../metadata/client-metadata';
import { getRecord, recordKeys } from '../records/record-api';

/**
 * A value of the field history. History keeps a lookup's id, not the record: the title is read
 * like the form's lookup reads its current value (same query), and a record the API answers 404
 * for (not readable, in the recycle bin or gone; the API tells these apart to nobody) shows
 * "no access" instead of a link to a page that would say "not found".
 */
export function TimelineValue({ object, field, value }: { readonly object: ClientObject; readonly field: ClientField; readonly value: unknown }) {
  const metadata = useMetadata();
  const descriptor = cachedDescriptor(field, metadata.objects);
  const target = descriptor.widget === 'lookup' && typeof descriptor.target === 'string' ? metadata.object(descriptor.target) : undefined;
  const id = typeof value === 'string' ? value : undefined;
  const title = useQuery({
    queryKey: [...recordKeys.one(target?.name ?? '', id ?? ''), 'title'],
    queryFn: async () => recordTitle(await getRecord(target!.name, id!), target!.title_field),
    enabled: Boolean(target && id),
    staleTime: 60_000,
    retry: false,
  });
  let shown = value;
  if (title.error instanceof ApiError && title.error.status === 404) shown = { id };
  else if (title.data !== undefined && target?.title_field) shown = { id, [target.title_field]: title.data };
  return <FieldValue object={object} field={field} value={shown} />;
}
