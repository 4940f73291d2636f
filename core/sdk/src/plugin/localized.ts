import { z } from 'zod';

/** Text shown to people: Chinese first, English always present. */
export interface LocalizedText {
  'zh-CN': string;
  en: string;
}

export const localizedTextSchema = z.object({
  'zh-CN': z.string().trim().min(1),
  en: z.string().trim().min(1),
});
