import { EditOutlined } from '@ant-design/icons';
import { useMutation, useQueryClient } from '@tanstack/react-query';
import { App, Button, Input } from 'antd';
import { useEffect, useRef, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { ApiError } from '../api/client';
import { isCommitEnter } from '../app/enter-key';
import { ME_KEY } from '../auth/session';
import { renameMe } from './account-api';

/** The user's own name, shown with a button that turns it into an input (Enter saves, Escape cancels). */
export function NameEditor({ name }: { readonly name: string }) {
  const { t } = useTranslation();
  const { message } = App.useApp();
  const client = useQueryClient();
  const [editing, setEditing] = useState(false);
  const [draft, setDraft] = useState(name);
  // Closed (saved, cancelled, Escape), the editor hands focus back to the button that opened it.
  const editButton = useRef<HTMLButtonElement>(null);
  const wasEditing = useRef(false);
  useEffect(() => {
    if (wasEditing.current && !editing) editButton.current?.focus();
    wasEditing.current = editing;
  }, [editing]);
  const rename = useMutation({
    mutationFn: () => renameMe(draft.trim()),
    onSuccess: (me) => {
      client.setQueryData(ME_KEY, me);
      // Pickers and "who did it" read the directory: the new name shows there too.
      void client.invalidateQueries({ queryKey: ['users'] });
      setEditing(false);
      void message.success(t('account.renamed'));
    },
  });
  const error = rename.error instanceof ApiError ? (rename.error.fields.find((issue) => issue.path === 'name')?.message ?? rename.error.message) : rename.error?.message;
  const save = () => {
    if (draft.trim() === name) setEditing(false);
    else if (draft.trim()) rename.mutate();
  };

  if (!editing) {
    return (
      <span className="account-name">
        <span>{name}</span>
        <Button ref={editButton} type="text" size="small" icon={<EditOutlined />} aria-label={t('account.rename')} className="touch" onClick={() => (setDraft(name), rename.reset(), setEditing(true))} />
      </span>
    );
  }
  return (
    <div className="account-name account-name--editing">
      <Input
        autoFocus
        value={draft}
        maxLength={200}
        aria-label={t('account.name')}
        status={error ? 'error' : ''}
        aria-invalid={Boolean(error)}
        onChange={(event) => setDraft(event.target.value)}
        onKeyDown={(event) => {
          if (isCommitEnter(event)) save();
          else if (event.key === 'Escape') setEditing(false);
        }}
      />
      <Button type="primary" loading={rename.isPending} disabled={!draft.trim()} onClick={save} className="touch">
        {t('account.save')}
      </Button>
      <Button onClick={() => setEditing(false)} className="touch">
        {t('account.cancel')}
      </Button>
      {error && (
        <div className="account-form__error account-name__error" role="alert">
          {error}
        </div>
      )}
    </div>
  );
}
