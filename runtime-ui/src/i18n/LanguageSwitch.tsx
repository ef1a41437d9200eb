import { Segmented } from 'antd';
import { useTranslation } from 'react-i18next';
import { applyLocale, UI_LOCALES, type UiLocale } from './i18n';

export function LanguageSwitch() {
  const { t, i18n } = useTranslation();
  return (
    <Segmented<UiLocale>
      aria-label={t('auth.language')}
      value={i18n.language as UiLocale}
      options={UI_LOCALES.map((locale) => ({ value: locale, label: t(`language.${locale}`) }))}
      onChange={(locale) => applyLocale(locale)}
    />
  );
}
