import { Skeleton, Typography } from 'antd';
import { useTranslation } from 'react-i18next';
import { useMe } from '../auth/session';
import { LanguageSwitch } from '../i18n/LanguageSwitch';
import type { UiLocale } from '../i18n/i18n';
import { useMetadata } from '../metadata/client-metadata';
import { textOf } from '../metadata/labels';
import { ApiTokens } from './ApiTokens';
import { NameEditor } from './NameEditor';
import { PasswordForm } from './PasswordForm';
import './account.css';

/**
 * The signed-in user's own settings: who they are (name, e-mail, and the department and roles an
 * administrator gave them, which decide what they see), the language, their password and API tokens.
 */
export default function AccountPage() {
  const { t, i18n } = useTranslation();
  const me = useMe();
  const { user: projected } = useMetadata();
  // An administrator's own role is often labelled "Administrator" too: each name is shown once.
  const roles = [...new Set([...(projected.admin ? [t('account.administrator')] : []), ...projected.roles.map((role) => textOf(role.label, i18n.language as UiLocale, role.name))])];
  if (!me.data) return <Skeleton active />;
  const { user } = me.data;
  return (
    <div className="account">
      <Typography.Title level={3} className="account__title">
        {t('account.title')}
      </Typography.Title>
      <section className="account-section" aria-labelledby="account-profile">
        <h2 id="account-profile" className="account-section__title">
          {t('account.profile')}
        </h2>
        <dl className="account-profile">
          <dt>{t('account.name')}</dt>
          <dd>
            <NameEditor name={user.name} />
          </dd>
          <dt>{t('account.email')}</dt>
          <dd>{user.email ?? '—'}</dd>
          <dt>{t('account.department')}</dt>
          <dd>{projected.department?.name ?? t('account.noDepartment')}</dd>
          <dt>{t('account.roles')}</dt>
          <dd>
            {roles.map((role) => (
              <span key={role} className="account-role">
                {role}
              </span>
            ))}
            {roles.length === 0 && t('account.noRoles')}
            <p className="account-form__hint">{t('account.rolesHint')}</p>
          </dd>
          <dt>{t('account.language')}</dt>
          <dd>
            <LanguageSwitch />
          </dd>
        </dl>
      </section>
      <section className="account-section" aria-labelledby="account-password">
        <h2 id="account-password" className="account-section__title">
          {t('account.password.title')}
        </h2>
        <PasswordForm />
      </section>
      <section className="account-section" aria-labelledby="account-tokens">
        <ApiTokens headingId="account-tokens" />
      </section>
    </div>
  );
}
