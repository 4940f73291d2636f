import { afterEach, describe, expect, it } from 'vitest';
import { errorCatalogue } from '../../core/sdk/src/errors.ts';
import { ApiError } from '../src/api/api-error.ts';
import type { Role } from '../src/api/roles.ts';
import { i18n } from '../src/i18n/index.ts';
import { auditActionLabel, auditTargetName, roleDescription, roleName, targetTypeLabel } from '../src/i18n/labels.ts';
import { errorCode, errorText, fieldIssueText } from '../src/utils/error-text.ts';
import { applyFieldErrors } from '../src/utils/field-errors.ts';
import { fieldDescription, fieldLabel, type JsonSchema, optionLabel } from '../src/utils/json-schema.ts';

// The admin names what the server identifies by key in the reader's language, never mixing two.

const inLocale = (locale: 'zh-CN' | 'en') => {
  i18n.global.locale.value = locale;
};
afterEach(() => inLocale('zh-CN'));

const CJK = /[\u3000-\u303f\u4e00-\u9fff\uff00-\uffef]/;

describe('error messages', () => {
  const codes = [...Object.keys(errorCatalogue), 'NETWORK_ERROR'];

  it('has a message for every error code of the catalogue, in Chinese and in English', () => {
    const missing = codes.flatMap((code) =>
      (['zh-CN', 'en'] as const).filter((l) => !i18n.global.te(`errors.${code}`, l)).map((l) => `${l}:${code}`),
    );
    expect(missing).toEqual([]);
  });

  it('shows a wrong password in Chinese only, with the code apart', () => {
    const e = new ApiError(401, 'AUTH_INVALID_CREDENTIALS', errorCatalogue.AUTH_INVALID_CREDENTIALS.message);
    expect(errorText(e)).toBe('租户、用户名或密码错误');
    expect(errorCode(e)).toBe('AUTH_INVALID_CREDENTIALS');
    inLocale('en');
    expect(errorText(e)).toBe('Wrong tenant, user name or password');
  });

  it('never shows an English server message or a code in Chinese text', () => {
    for (const code of codes) {
      const text = errorText(new ApiError(400, code, 'English server message'));
      expect(text, code).toMatch(CJK);
      expect(text, code).not.toMatch(/English server message|[A-Z]{2,}_[A-Z]/);
    }
  });

  it('gives an unknown code a generic message in the current language', () => {
    expect(errorText(new ApiError(502, 'HTTP_502', 'HTTP 502'))).toBe('请求失败');
    inLocale('en');
    expect(errorText(new Error('boom'))).toBe('The request failed');
  });
});

describe('field errors from the server', () => {
  const refused = new ApiError(400, 'REQ_VALIDATION', 'bad', 'r1', [
    { path: ['username'], message: 'Too small: expected string to have >=2 characters' },
  ]);

  it('marks the field in Chinese rather than with the English server message', () => {
    const errors: Record<string, string> = {};
    applyFieldErrors(errors, refused);
    expect(errors).toEqual({ username: '此项不符合要求' });
  });

  it('keeps the server message in English', () => {
    inLocale('en');
    const errors: Record<string, string> = {};
    applyFieldErrors(errors, refused);
    expect(errors).toEqual({ username: 'Too small: expected string to have >=2 characters' });
    expect(fieldIssueText('')).toBe('This value is not accepted');
  });
});

describe('built-in roles', () => {
  const role = (builtinKey: string | null, name: string, description: string): Role => ({
    id: 'r',
    name,
    description,
    permissions: [],
    builtin: builtinKey !== null,
    builtinKey,
  });

  it('shows a built-in role in the current language, whatever language it was stored in', () => {
    const admin = role('admin', '系统管理员', 'All permissions / 全部权限');
    expect([roleName(admin), roleDescription(admin)]).toEqual(['系统管理员', '全部权限']);
    inLocale('en');
    expect([roleName(admin), roleDescription(admin)]).toEqual(['Administrator', 'All permissions']);
    expect(roleName(role('cashier', '收费员', '负责收费'))).toBe('Cashier');
    expect(roleDescription(role('reader', '抄表员', '负责所辖区域抄表'))).toBe('Reads meters in their areas');
  });

  it('shows custom roles and renamed built-in roles as entered', () => {
    inLocale('en');
    expect(roleName(role(null, '系统管理员', '全部权限'))).toBe('系统管理员');
    const renamed = role('admin', '总管', '我们自己的说明');
    expect([roleName(renamed), roleDescription(renamed)]).toEqual(['总管', '我们自己的说明']);
  });
});

describe('audit labels', () => {
  it('names actions and target types, and keeps unknown codes', () => {
    expect([auditActionLabel('users.update'), targetTypeLabel('user')]).toEqual(['修改用户', '用户']);
    inLocale('en');
    expect([auditActionLabel('auth.switch-tenant'), targetTypeLabel('api-token')]).toEqual(['Switch tenant', 'API token']);
    expect(auditActionLabel('meters.frobnicate')).toBe('meters.frobnicate');
  });

  it('names a target by its title, its name, else its id', () => {
    const title = { 'zh-CN': '水表', en: 'Water meter' };
    expect(auditTargetName({ targetName: 'meter-water', targetTitle: title, targetId: 'meter-water' })).toBe('水表');
    expect(auditTargetName({ targetName: 'alice', targetTitle: null, targetId: 'u-1' })).toBe('alice');
    expect(auditTargetName({ targetName: null, targetTitle: null, targetId: 'u-1' })).toBe('u-1');
  });
});

describe('settings labels', () => {
  const digits: JsonSchema = {
    type: 'integer',
    title: 'Counter digits',
    'x-title': { 'zh-CN': '计数器整数位数', en: 'Counter digits' },
    description: 'Wraps after 10^digits',
    'x-description': { 'zh-CN': '超过位数后归零', en: 'Wraps after 10^digits' },
  };
  const unit: JsonSchema = {
    anyOf: [{ type: 'string', enum: ['m3', 'L'] }, { type: 'null' }],
    'x-enum-titles': { m3: { 'zh-CN': '立方米', en: 'Cubic metres' } },
  };

  it('labels a field in the current language, else by its title, else by its key', () => {
    expect(fieldLabel(digits, 'meterDigits', 'zh-CN')).toBe('计数器整数位数');
    expect(fieldLabel(digits, 'meterDigits', 'en')).toBe('Counter digits');
    expect(fieldLabel({ type: 'integer', title: 'Plain' }, 'meterDigits', 'zh-CN')).toBe('Plain');
    expect(fieldLabel({ type: 'integer' }, 'meterDigits', 'zh-CN')).toBe('meterDigits');
    expect(fieldDescription(digits, 'zh-CN')).toBe('超过位数后归零');
  });

  it('names enum values in the current language, else by the value', () => {
    expect([optionLabel(unit, 'm3', 'zh-CN'), optionLabel(unit, 'm3', 'en'), optionLabel(unit, 'L', 'en')]).toEqual([
      '立方米',
      'Cubic metres',
      'L',
    ]);
  });
});
