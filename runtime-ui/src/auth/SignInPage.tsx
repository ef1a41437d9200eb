import { useQueryClient } from '@tanstack/react-query';
import { Alert } from 'antd';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { takeSignInNotice } from '../account/account-api';
import { LanguageSwitch } from '../i18n/LanguageSwitch';
import { SignInForm } from './SignInForm';
import { ME_KEY } from './session';

/** The first page most people see; plain elements around the form keep the first load small. */
export function SignInPage() {
  const { t } = useTranslation();
  const client = useQueryClient();
  // Why the user is here, when the app sent them (a password change ends every session).
  const [notice] = useState(takeSignInNotice);
  return (
    <main className="sign-in">
      <div className="sign-in__lang">
        <LanguageSwitch />
      </div>
      <section className="sign-in__card" aria-labelledby="sign-in-title">
        <div className="sign-in__brand">{t('app.name')}</div>
        <h1 id="sign-in-title" className="sign-in__title">
          {t('auth.welcome')}
        </h1>
        {notice === 'passwordChanged' && <Alert type="success" showIcon title={t('account.password.changed')} />}
        <SignInForm onSignedIn={() => void client.invalidateQueries({ queryKey: ME_KEY })} />
      </section>
    </main>
  );
}
