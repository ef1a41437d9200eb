import { Alert, Button, Input } from 'antd';
import { Controller, useForm, type ControllerProps } from 'react-hook-form';
import { useTranslation } from 'react-i18next';
import { ApiError } from '../api/client';
import { forgetFirstRows } from '../app/first-rows';
import { changePassword, leaveForSignIn } from './account-api';

interface PasswordChange {
  current: string;
  next: string;
  repeat: string;
}

/** The server's field for each of the form's. */
const SERVER_FIELDS = { current_password: 'current', new_password: 'next' } as const;

/**
 * Changes the user's own password: the current one, the new one twice. The server checks the
 * current password and its policy for the new one (its messages land on their fields); once it is
 * changed every session ends, this one too, so the app goes to the sign-in page and says why.
 */
export function PasswordForm() {
  const { t } = useTranslation();
  const { control, handleSubmit, setError, formState, getValues } = useForm<PasswordChange>({ defaultValues: { current: '', next: '', repeat: '' } });
  const submit = handleSubmit(async ({ current, next }) => {
    try {
      await changePassword(current, next);
      forgetFirstRows();
      leaveForSignIn('passwordChanged');
    } catch (error) {
      const placed = error instanceof ApiError ? error.fields.filter((issue) => issue.path in SERVER_FIELDS) : [];
      for (const issue of placed) setError(SERVER_FIELDS[issue.path as keyof typeof SERVER_FIELDS], { type: 'server', message: issue.message }, { shouldFocus: true });
      if (placed.length === 0) setError('root', { type: 'server', message: error instanceof Error ? error.message : String(error) });
    }
  });
  const field = (name: keyof PasswordChange, label: string, autoComplete: string, rules: ControllerProps<PasswordChange>['rules']) => (
    <Controller
      name={name}
      control={control}
      rules={rules}
      render={({ field: input, fieldState }) => (
        <div className="account-form__field">
          <label htmlFor={`password-${name}`}>{label}</label>
          <Input.Password
            {...input}
            id={`password-${name}`}
            autoComplete={autoComplete}
            status={fieldState.error ? 'error' : ''}
            aria-invalid={Boolean(fieldState.error)}
            aria-describedby={fieldState.error ? `password-${name}-error` : undefined}
          />
          {fieldState.error && (
            <div id={`password-${name}-error`} className="account-form__error" role="alert">
              {fieldState.error.message}
            </div>
          )}
        </div>
      )}
    />
  );
  return (
    <form
      className="account-form"
      noValidate
      onSubmit={(event) => {
        event.preventDefault();
        void submit();
      }}
    >
      {formState.errors.root && <Alert type="error" showIcon title={formState.errors.root.message} />}
      {field('current', t('account.password.current'), 'current-password', { required: t('account.password.required') })}
      {field('next', t('account.password.new'), 'new-password', { required: t('account.password.required') })}
      {field('repeat', t('account.password.repeat'), 'new-password', {
        required: t('account.password.required'),
        validate: (repeat) => repeat === getValues('next') || t('account.password.mismatch'),
      })}
      <p className="account-form__hint">{t('account.password.endsSessions')}</p>
      <Button type="primary" htmlType="submit" loading={formState.isSubmitting} className="touch">
        {t('account.password.change')}
      </Button>
    </form>
  );
}
