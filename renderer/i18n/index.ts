import { createI18n } from 'vue-i18n';
import { dateEnUS, dateZhCN, enUS, zhCN, type NDateLocale, type NLocale } from 'naive-ui';
import type { UiLanguage } from '../../shared/contract/dto';
import en from './en';
import zh, { type Messages } from './zh-CN';

/** The app's vue-i18n instance; Chinese first, English as fallback. */
export const i18n = createI18n<[Messages], UiLanguage, false>({
  legacy: false,
  locale: 'zh-CN',
  fallbackLocale: 'en',
  messages: { 'zh-CN': zh, en },
});

/** naive-ui's component and date locales for a UI language. */
export function naiveLocaleOf(language: UiLanguage): { locale: NLocale; dateLocale: NDateLocale } {
  return language === 'en' ? { locale: enUS, dateLocale: dateEnUS } : { locale: zhCN, dateLocale: dateZhCN };
}

/** Switches vue-i18n and the document's lang attribute to `language`. */
export function applyLanguage(language: UiLanguage): void {
  i18n.global.locale.value = language;
  document.documentElement.lang = language;
}
