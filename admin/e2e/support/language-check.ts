import type { Page } from 'playwright-core';

/** A permission or audit-action code (`users.read`, `auth.login`, `meters.read-now`) shown as text. */
export const RAW_KEY =
  /\b(?:users|roles|areas|audit|plugins|tokens|tenants|archives|meters|billing|tariffs|payments|reports|analysis|auth)\.[a-z][a-z-]*\b/g;

export function rawKeys(text: string): string[] {
  return [...text.matchAll(RAW_KEY)].map((m) => m[0]);
}

/** The interface's own text, where user data never shows. */
const CHROME = [
  '.el-menu',
  '[data-test="page-title"]',
  'h1',
  '.el-card__header',
  '.el-form-item__label',
  '.el-button',
  '.el-table__header-wrapper th',
  '.el-dialog__title',
  '.el-alert__title',
  '.el-alert__description > span',
  '.el-tag:not([data-test="current-tenant"])',
  '.field-hint',
  'legend',
  '.el-pagination',
  '.el-select__selected-item:not([data-test="lang-switch"] *)',
  '.el-select__placeholder:not([data-test="lang-switch"] *)',
];

/** Visible interface text plus the placeholders of visible inputs, one piece per line. */
export async function chromeText(page: Page): Promise<string> {
  return await page.evaluate((selectors) => {
    const visible = (el: Element) =>
      el.getClientRects().length > 0 && getComputedStyle(el).visibility !== 'hidden' && !el.closest('[aria-hidden="true"]');
    const parts: string[] = [];
    for (const el of document.querySelectorAll(selectors.join(','))) {
      if (!visible(el) || el.closest('[data-test="lang-switch"]')) continue;
      const clone = el.cloneNode(true) as HTMLElement;
      clone.querySelectorAll('.error-code').forEach((c) => c.remove());
      parts.push((el as HTMLElement).innerText === undefined ? '' : (clone.textContent ?? ''));
    }
    for (const input of document.querySelectorAll('input[placeholder], textarea[placeholder]')) {
      if (visible(input) && !input.closest('[data-test="lang-switch"]')) parts.push(input.getAttribute('placeholder') ?? '');
    }
    return parts.join('\n');
  }, CHROME);
}

const CJK = /[\u3000-\u303f\u3400-\u9fff\uff00-\uffef]+/g;
/**
 * Latin words a Chinese page may carry: the product, units, abbreviations, the literal code to type,
 * the names of meter protocol standards (DL/T 645, CJ/T 188, Q/GDW 1376.1), and device and file
 * terms Chinese operators use as they are (RS-485 and UTF-8 split at the digits), and the names of
 * the IoT platforms and their terms as their consoles show them (CTWing, OneNET, IoTDA, ChirpStack,
 * MQTT, IMEI, the `token` URL parameter, the `mqtt://` scheme, the `application/…` topic), and the
 * platforms' credential names as their consoles print them (CTWing AppKey/AppSecret/MasterKey,
 * OneNET api-key, IoTDA X-Auth-Token).
 */
const LATIN_OK = new Set([
  'Quadmeter', 'Q', 'IP', 'API', 'JSON', 'platform', 'm', 'L', 'K', 'kWh', 'MWh', 'GJ', 'DL', 'CJ', 'T', 'GDW',
  'SIM', 'ICCID', 'RS-', 'M-Bus', 'xlsx', 'csv', 'CSV', 'UTF-',
  'NB-IoT', 'LoRaWAN', 'CTWing', 'OneNET', 'IoTDA', 'ChirpStack', 'MQTT', 'mqtt', 'IMEI', 'ID', 'AES', 'Base',
  'token', 'application', 'AppKey', 'AppSecret', 'MasterKey', 'api-key', 'X-Auth-Token',
]);

/** Words in the other language: Chinese on an English page, English words on a Chinese page. */
export function strayWords(locale: string, text: string): string[] {
  if (locale === 'en') return text.match(CJK) ?? [];
  return (text.match(/[A-Za-z][A-Za-z-]*/g) ?? []).filter((w) => !LATIN_OK.has(w));
}
