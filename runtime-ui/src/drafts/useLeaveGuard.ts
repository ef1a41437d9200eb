import { App } from 'antd';
import { useCallback, useEffect, useRef } from 'react';
import { useTranslation } from 'react-i18next';
import { useBlocker } from 'react-router';

/**
 * Asks before leaving a form with unsaved changes: inside the app (react-router's blocker, a
 * confirmation dialog) and when closing or reloading the tab (the browser's own prompt). The draft
 * is kept either way until the user confirms leaving; `onLeave` then runs (it discards the draft).
 */
export function useLeaveGuard(active: boolean, onLeave: () => void): () => void {
  const { t } = useTranslation();
  const { modal } = App.useApp();
  // A ref, so a navigation right after saving (same tick as the state change) is not asked about.
  const guarding = useRef(active);
  guarding.current = active;
  const blocker = useBlocker(({ currentLocation, nextLocation }) => guarding.current && currentLocation.pathname !== nextLocation.pathname);

  useEffect(() => {
    if (blocker.state !== 'blocked') return;
    modal.confirm({
      title: t('forms.leave.title'),
      content: t('forms.leave.body'),
      okText: t('forms.leave.leave'),
      cancelText: t('forms.leave.stay'),
      okButtonProps: { danger: true },
      onOk: () => {
        onLeave();
        blocker.proceed();
      },
      onCancel: () => blocker.reset(),
    });
  }, [blocker, onLeave, t, modal]);

  useEffect(() => {
    if (!active) return undefined;
    const warn = (event: BeforeUnloadEvent) => {
      if (guarding.current) event.preventDefault();
    };
    window.addEventListener('beforeunload', warn);
    return () => window.removeEventListener('beforeunload', warn);
  }, [active]);

  /** Lets the next navigation through without asking (the form was saved). */
  return useCallback(() => {
    guarding.current = false;
  }, []);
}
