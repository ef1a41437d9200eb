import { CopyOutlined, PlusOutlined } from '@ant-design/icons';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { Alert, App, Button, Empty, Input, Modal, Select, Skeleton } from 'antd';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import type { ApiTokenSummary, CreatedApiToken } from '@crm/engine/core';
import { isCommitEnter } from '../app/enter-key';
import { useReturnFocus } from '../app/use-return-focus';
import type { UiLocale } from '../i18n/i18n';
import { dateTime, timeAgo } from '../i18n/when';
import { createToken, fetchTokens, revokeToken, tokenKeys } from './account-api';

const LIFETIMES = [30, 90, 365, 0] as const;
const DAY_MS = 24 * 60 * 60 * 1000;

/**
 * The user's API tokens, for scripts and integrations: listed (never the token itself, only its
 * first characters), created with a name and a lifetime (the token shown once, to copy), revoked.
 */
export function ApiTokens({ headingId }: { readonly headingId: string }) {
  const { t, i18n } = useTranslation();
  const locale = i18n.language as UiLocale;
  const { modal, message } = App.useApp();
  const client = useQueryClient();
  const tokens = useQuery({ queryKey: tokenKeys.all, queryFn: fetchTokens });
  const [creating, setCreating] = useState(false);
  const [name, setName] = useState('');
  const [days, setDays] = useState<(typeof LIFETIMES)[number]>(90);
  const [created, setCreated] = useState<CreatedApiToken | null>(null);
  const createFocus = useReturnFocus(creating, undefined, 'token-name');
  const refresh = () => client.invalidateQueries({ queryKey: tokenKeys.all });
  const create = useMutation({
    mutationFn: () => createToken({ name: name.trim(), expires_at: days === 0 ? null : new Date(Date.now() + days * DAY_MS).toISOString() }),
    onSuccess: (token) => {
      setCreating(false);
      setCreated(token);
      void refresh();
    },
  });
  const revoke = useMutation({
    mutationFn: revokeToken,
    onSuccess: () => void message.success(t('account.tokens.revoked')),
    onError: (error) => void message.error(error.message),
    onSettled: refresh,
  });
  const openCreate = () => (setName(''), setDays(90), create.reset(), setCreating(true));
  const expired = (token: ApiTokenSummary) => token.expires_at !== null && Date.parse(token.expires_at) <= Date.now();

  return (
    <>
      <div className="account-section__head">
        <h2 id={headingId} className="account-section__title">
          {t('account.tokens.title')}
        </h2>
        <Button icon={<PlusOutlined />} onClick={openCreate} className="touch">
          {t('account.tokens.new')}
        </Button>
      </div>
      <p className="account-form__hint">{t('account.tokens.explain')}</p>
      {tokens.isPending ? (
        <Skeleton active />
      ) : tokens.isError ? (
        <Alert type="error" title={tokens.error.message} />
      ) : tokens.data.length === 0 ? (
        <Empty image={Empty.PRESENTED_IMAGE_SIMPLE} description={t('account.tokens.none')} />
      ) : (
        <ul className="account-tokens">
          {tokens.data.map((token) => (
            <li key={token.id} className={`account-token${expired(token) ? ' is-expired' : ''}`}>
              <div className="account-token__main">
                <span className="account-token__name">{token.name}</span>
                <code className="account-token__prefix">{token.prefix}…</code>
              </div>
              <div className="account-token__meta">
                <span>{t('account.tokens.created', { when: dateTime(token.created_at, locale) })}</span>
                <span>{token.last_used_at ? t('account.tokens.lastUsed', { when: timeAgo(token.last_used_at, locale) }) : t('account.tokens.neverUsed')}</span>
                <span>
                  {token.expires_at === null
                    ? t('account.tokens.noExpiry')
                    : t(expired(token) ? 'account.tokens.expired' : 'account.tokens.expires', { when: dateTime(token.expires_at, locale) })}
                </span>
              </div>
              <Button
                danger
                className="touch"
                aria-label={t('account.tokens.revokeNamed', { name: token.name })}
                onClick={() =>
                  modal.confirm({
                    title: t('account.tokens.revokeConfirm', { name: token.name }),
                    content: t('account.tokens.revokeExplain'),
                    okText: t('account.tokens.revoke'),
                    okButtonProps: { danger: true },
                    cancelText: t('account.cancel'),
                    onOk: () => revoke.mutateAsync(token.id),
                  })
                }
              >
                {t('account.tokens.revoke')}
              </Button>
            </li>
          ))}
        </ul>
      )}

      <Modal
        open={creating}
        {...createFocus}
        title={t('account.tokens.new')}
        okText={t('account.tokens.create')}
        cancelText={t('account.cancel')}
        okButtonProps={{ disabled: name.trim() === '', loading: create.isPending }}
        onOk={() => create.mutate()}
        onCancel={() => setCreating(false)}
      >
        <div className="account-form">
          {create.isError && <Alert type="error" showIcon title={create.error.message} />}
          <div className="account-form__field">
            <label htmlFor="token-name">{t('account.tokens.name')}</label>
            <Input id="token-name" value={name} maxLength={100} placeholder={t('account.tokens.namePlaceholder')} onChange={(event) => setName(event.target.value)} onPressEnter={(event) => isCommitEnter(event) && name.trim() && create.mutate()} />
          </div>
          <div className="account-form__field">
            <label htmlFor="token-lifetime">{t('account.tokens.lifetime')}</label>
            <Select
              id="token-lifetime"
              value={days}
              onChange={setDays}
              options={LIFETIMES.map((value) => ({ value, label: value === 0 ? t('account.tokens.forever') : t('account.tokens.days', { count: value }) }))}
            />
          </div>
        </div>
      </Modal>

      <Modal
        open={created !== null}
        title={t('account.tokens.createdTitle')}
        closable={false}
        mask={{ closable: false }}
        footer={
          <Button type="primary" onClick={() => setCreated(null)}>
            {t('account.tokens.done')}
          </Button>
        }
      >
        <Alert type="warning" showIcon title={t('account.tokens.shownOnce')} />
        <div className="account-token__secret">
          <code id="created-token">{created?.token}</code>
          <Button
            icon={<CopyOutlined />}
            aria-label={t('account.tokens.copy')}
            onClick={() =>
              void navigator.clipboard.writeText(created?.token ?? '').then(
                () => void message.success(t('account.tokens.copied')),
                () => void message.error(t('account.tokens.copyFailed')),
              )
            }
          >
            {t('account.tokens.copy')}
          </Button>
        </div>
        <p className="account-form__hint">{t('account.tokens.howToUse')}</p>
      </Modal>
    </>
  );
}
