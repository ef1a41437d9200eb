import i18next from 'i18next';
import { initReactI18next } from 'react-i18next';
import dayjs from 'dayjs';
import 'dayjs/locale/zh-cn';
import { setApiLocale } from '../api/client';

/**
 * UI strings come from the catalogues: one file per feature and language,
 * `locales/<lang>/<feature>.json`, each holding one top-level key named like the file (so features
 * add strings without touching each other's files). A test fails on a key missing in either
 * language. Metadata labels are not here: they carry their own languages
 * (metadata/labels.ts picks the user's).
 */
export type UiLocale = 'en' | 'zh-CN';
export const UI_LOCALES: readonly UiLocale[] = ['zh-CN', 'en'];
const STORAGE_KEY = 'crm.locale';

function initialLocale(): UiLocale {
  const stored = localStorage.getItem(STORAGE_KEY);
  if (stored === 'en' || stored === 'zh-CN') return stored;
  return navigator.language.toLowerCase().startsWith('zh') ? 'zh-CN' : 'en';
}

export function applyLocale(locale: UiLocale): void {
  localStorage.setItem(STORAGE_KEY, locale);
  setApiLocale(locale);
  dayjs.locale(locale === 'zh-CN' ? 'zh-cn' : 'en');
  document.documentElement.lang = locale;
  void i18next.changeLanguage(locale);
}

type Catalogue = Record<string, unknown>;
const files = import.meta.glob<Catalogue>('./locales/*/*.json', { eager: true, import: 'default' });
function catalogue(language: UiLocale): Catalogue {
  const merged: Catalogue = {};
  for (const [path, content] of Object.entries(files)) if (path.startsWith(`./locales/${language}/`)) Object.assign(merged, content);
  return merged;
}

const locale = initialLocale();
setApiLocale(locale);
dayjs.locale(locale === 'zh-CN' ? 'zh-cn' : 'en');
document.documentElement.lang = locale;

void i18next.use(initReactI18next).init({
  resources: { en: { translation: catalogue('en') }, 'zh-CN': { translation: catalogue('zh-CN') } },
  lng: locale,
  fallbackLng: false,
  interpolation: { escapeValue: false },
  returnNull: false,
});

export const i18n = i18next;
export function currentLocale(): UiLocale {
  return i18next.language === 'zh-CN' ? 'zh-CN' : 'en';
}
