import { createI18n } from 'vue-i18n';
import en from './en.ts';
import zhCN from './zh-CN.ts';

export const LOCALES = [
  { value: 'zh-CN', label: '简体中文' },
  { value: 'en', label: 'English' },
] as const;
export type Locale = (typeof LOCALES)[number]['value'];

const STORAGE_KEY = 'quadmeter.locale';

function isLocale(v: unknown): v is Locale {
  return LOCALES.some((l) => l.value === v);
}

/** The stored choice, else zh-CN (the default whatever the browser says). */
export function storedLocale(): Locale {
  try {
    const v = localStorage.getItem(STORAGE_KEY);
    return isLocale(v) ? v : 'zh-CN';
  } catch {
    return 'zh-CN';
  }
}

export const i18n = createI18n({
  legacy: false,
  locale: storedLocale(),
  fallbackLocale: 'zh-CN',
  messages: { 'zh-CN': zhCN, en },
});

export function setLocale(locale: Locale): void {
  i18n.global.locale.value = locale;
  document.documentElement.lang = locale;
  try {
    localStorage.setItem(STORAGE_KEY, locale);
  } catch {
    // storage may be unavailable (private mode); the choice then lasts for this page only
  }
}

/** A catalogue title `{ 'zh-CN': …, en: … }` in the current language. */
export function localTitle(title: Record<string, string> | undefined, fallback = ''): string {
  if (!title) return fallback;
  const locale = i18n.global.locale.value;
  return title[locale] ?? title['zh-CN'] ?? title.en ?? Object.values(title)[0] ?? fallback;
}
