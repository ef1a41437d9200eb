import { Alert, Button, Form, Input } from 'antd';
import { useState } from 'react';
import { Controller, useForm } from 'react-hook-form';
import { useTranslation } from 'react-i18next';
import { ApiError } from '../api/client';
import { signIn } from './session';

interface Credentials {
  email: string;
  password: string;
}

/** Email and password; used by the sign-in page and by the dialog shown when a session expires. */
export function SignInForm({ onSignedIn, email }: { onSignedIn: () => void; email?: string }) {
  const { t } = useTranslation();
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
    <Form layout="vertical" onFinish={() => void submit()} requiredMark={false}>
      {error && <Alert type="error" title={error} showIcon style={{ marginBottom: 16 }} role="alert" />}
      <Form.Item label={t('auth.email')} htmlFor="sign-in-email">
        <Controller
          name="email"
          control={control}
          rules={{ required: true }}
          render={({ field }) => <Input {...field} id="sign-in-email" type="email" autoComplete="username" size="large" />}
        />
      </Form.Item>
      <Form.Item label={t('auth.password')} htmlFor="sign-in-password">
        <Controller
          name="password"
          control={control}
          rules={{ required: true }}
          render={({ field }) => <Input.Password {...field} id="sign-in-password" autoComplete="current-password" size="large" />}
        />
      </Form.Item>
      <Button type="primary" htmlType="submit" block size="large" loading={formState.isSubmitting}>
        {t('auth.signIn')}
      </Button>
    </Form>
  );
}
