import type { LocalizedText } from './localized.ts';

/**
 * JSON Schema annotations for one tenant setting, for `.meta()` on its zod schema. The admin labels
 * the field with `x-title` in the reader's language (falling back to `title`, then the key), shows
 * `x-description` under it, and names enum values by `x-enum-titles`.
 */
export type SettingMeta = {
  title: string;
  'x-title': LocalizedText;
  description?: string;
  'x-description'?: LocalizedText;
  'x-enum-titles'?: Record<string, LocalizedText>;
};

export function settingMeta(
  title: LocalizedText,
  description?: LocalizedText,
  enumTitles?: Record<string, LocalizedText>,
): SettingMeta {
  return {
    title: title.en,
    'x-title': title,
    ...(description && { description: description.en, 'x-description': description }),
    ...(enumTitles && { 'x-enum-titles': enumTitles }),
  };
}
