import { Card, Typography } from 'antd';
import { useQueryClient } from '@tanstack/react-query';
import { useTranslation } from 'react-i18next';
import { LanguageSwitch } from '../i18n/LanguageSwitch';
import { SignInForm } from './SignInForm';
import { ME_KEY } from './session';

export function SignInPage() {
  const { t } = useTranslation();
  const client = useQueryClient();
  return (
    <main className="sign-in">
      <div className="sign-in__lang">
        <LanguageSwitch />
      </div>
      <Card className="sign-in__card">
        <Typography.Title level={2} style={{ marginTop: 0 }}>
          {t('auth.welcome')}
        </Typography.Title>
        <SignInForm onSignedIn={() => void client.invalidateQueries({ queryKey: ME_KEY })} />
      </Card>
    </main>
  );
}
