import { Alert, Button, Input } from 'antd';
import { useId, useState } from 'react';
import { Controller, useForm } from 'react-hook-form';
import { useTranslation } from 'react-i18next';
import { ApiError } from '../api/client';
import { signIn } from './session';

interface Credentials {
  email: string;
  password: string;
}

/**
 * Email and password; used by the sign-in page and by the dialog shown when a session expires.
 * A plain <form> with labels rather than antd's Form: the sign-in page is the first load, and
 * antd's Form (with its validator) would be most of it (tests/ui/bundle-budget.test.ts).
 */
export function SignInForm({ onSignedIn, email }: { onSignedIn: () => void; email?: string }) {
  const { t } = useTranslation();
  const ids = useId();
  const emailId = email === undefined ? 'sign-in-email' : `${ids}-email`;
  const passwordId = email === undefined ? 'sign-in-password' : `${ids}-password`;
  const [error, setError] = useState<string | null>(null);
  const { control, handleSubmit, formState } = useForm<Credentials>({ defaultValues: { email: email ?? '', password: '' } });
  const submit = handleSubmit(async ({ email, password }) => {
    setError(null);
    try {
      await signIn(email.trim(), password);
      onSignedIn();
    } catch (failure) {
      setError(failure instanceof ApiError ? failure.message : t('auth.failed'));
    }
  });
  return (
    <form
      className="sign-in__form"
      noValidate
      onSubmit={(event) => {
        event.preventDefault();
        void submit();
      }}
    >
      {error && <Alert type="error" title={error} showIcon role="alert" />}
      <div className="sign-in__field">
        <label htmlFor={emailId}>{t('auth.email')}</label>
        <Controller
          name="email"
          control={control}
          rules={{ required: true }}
          render={({ field, fieldState }) => (
            <Input {...field} id={emailId} type="email" autoComplete="username" size="large" status={fieldState.error ? 'error' : ''} aria-invalid={Boolean(fieldState.error)} />
          )}
        />
      </div>
      <div className="sign-in__field">
        <label htmlFor={passwordId}>{t('auth.password')}</label>
        <Controller
          name="password"
          control={control}
          rules={{ required: true }}
          render={({ field, fieldState }) => (
            <Input.Password {...field} id={passwordId} autoComplete="current-password" size="large" status={fieldState.error ? 'error' : ''} aria-invalid={Boolean(fieldState.error)} />
          )}
        />
      </div>
      <Button type="primary" htmlType="submit" block size="large" loading={formState.isSubmitting}>
        {t('auth.signIn')}
      </Button>
    </form>
  );
}
