import { Skeleton, Typography } from 'antd';
import { useTranslation } from 'react-i18next';
import { useMe } from '../auth/session';
import { LanguageSwitch } from '../i18n/LanguageSwitch';
import { ApiTokens } from './ApiTokens';
import { NameEditor } from './NameEditor';
import { PasswordForm } from './PasswordForm';
import './account.css';

/** The signed-in user's own settings: who they are, the language, their password and API tokens. */
export default function AccountPage() {
  const { t } = useTranslation();
  const me = useMe();
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
