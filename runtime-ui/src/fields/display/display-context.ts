import { useMemo } from 'react';
import { useTranslation } from 'react-i18next';
import type { ClientField, ClientFieldDescriptor, ClientObject, ClientText } from '@crm/engine/core';
import { descriptorOf } from '../field-widget';
import { textOf } from '../../metadata/labels';
import { useMetadata, type LoadedMetadata } from '../../metadata/client-metadata';
import { paths } from '../../shell/navigation';
import type { UiLocale } from '../../i18n/i18n';
import type { FormatContext } from './format-value';

const descriptors = new WeakMap<ClientField, ClientFieldDescriptor>();

/** A field's descriptor, computed once per field of a metadata revision (a list asks it for every cell). */
export function cachedDescriptor(field: ClientField, objects: readonly ClientObject[]): ClientFieldDescriptor {
  let descriptor = descriptors.get(field);
  if (!descriptor) {
    descriptor = descriptorOf(field, objects);
    descriptors.set(field, descriptor);
  }
  return descriptor;
}

/** The title of a record of `target`: its object's title field, as the API returned it. */
export function recordTitle(metadata: Pick<LoadedMetadata, 'object'>, target: string, record: Readonly<Record<string, unknown>>): string | undefined {
  const object = metadata.object(target);
  const titleField = object?.title_field;
  const title = titleField ? record[titleField] : undefined;
  return title === null || title === undefined || title === '' ? undefined : String(title);
}

/** The format context of the signed-in user, in their language. */
export function useFormatContext(): FormatContext {
  const { t, i18n } = useTranslation();
  const metadata = useMetadata();
  const locale: UiLocale = i18n.language === 'zh-CN' ? 'zh-CN' : 'en';
  return useMemo(
    () => ({
      locale,
      userId: metadata.user.id,
      optionLabel: (option) => textOf(option.label as ClientText, locale, option.value),
      titleOf: (target, record) => recordTitle(metadata, target, record),
      recordHref: (target, id) => (metadata.object(target) ? paths.record(target, id) : ''),
      // Words, not a tick and a dash: a dash already means "empty", and a false answer is an answer.
      words: { me: t('list.value.me'), yes: t('display.yes'), no: t('display.no'), noAccess: t('display.noAccess') },
    }),
    [locale, metadata, t],
  );
}
