import { Link } from 'react-router';
import { useTranslation } from 'react-i18next';
import type { UiLocale } from '../i18n/i18n';
import { useMetadata } from '../metadata/client-metadata';
import { textOf } from '../metadata/labels';
import { paths } from '../shell/navigation';
import './record-ref.css';

/** A record named by its title (or "a record of <object>") linking to its page, with its object's label. */
export function RecordRef({ object, id, title }: { object: string; id: string; title: string | null }) {
  const { t, i18n } = useTranslation();
  const locale = i18n.language as UiLocale;
  const described = useMetadata().object(object);
  const objectLabel = textOf(described?.label, locale, object);
  return (
    <span className="record-ref">
      <Link className="record-ref__title" to={paths.record(object, id)}>
        {title ?? t('approvals.recordOf', { object: objectLabel })}
      </Link>
      <span className="record-ref__object">{objectLabel}</span>
    </span>
  );
}
