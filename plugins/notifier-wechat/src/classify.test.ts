import { AppError } from '@quadmeter/sdk';
import { describe, expect, it } from 'vitest';
import { classifyWechat } from './classify.ts';
import { WechatApiError, WechatTransportError } from './errors.ts';

describe('classifyWechat', () => {
  it.each([
    [-1, 'retry'],
    [45009, 'retry'],
    [45011, 'retry'],
    [43117, 'retry'],
    [40001, 'retry'],
    [40014, 'retry'],
    [42001, 'retry'],
    [40003, 'drop'],
    [43004, 'drop'],
    [43101, 'drop'],
    [48002, 'drop'],
    [40036, 'drop'],
    [40037, 'drop'],
    [47003, 'drop'],
    [48001, 'drop'],
    [40164, 'drop'],
    [99999, 'drop'],
    [Number.NaN, 'drop'],
  ] as const)('send errcode %d → %s', (code, want) => {
    expect(classifyWechat(new WechatApiError('send', code, 'x'))).toBe(want);
  });

  it.each([
    [-1, 'retry'],
    [45009, 'retry'],
    [45011, 'retry'],
    [40001, 'drop'],
    [40002, 'drop'],
    [40013, 'drop'],
    [40125, 'drop'],
    [40164, 'drop'],
    [41002, 'drop'],
    [41004, 'drop'],
  ] as const)('token errcode %d → %s', (code, want) => {
    expect(classifyWechat(new WechatApiError('token', code, 'x'))).toBe(want);
  });

  it.each([
    [undefined, 'retry'],
    [200, 'retry'],
    [429, 'retry'],
    [500, 'retry'],
    [502, 'retry'],
    [503, 'retry'],
    [400, 'drop'],
    [401, 'drop'],
    [403, 'drop'],
    [404, 'drop'],
  ] as const)('transport failure with HTTP %s → %s', (status, want) => {
    expect(classifyWechat(new WechatTransportError('send', 'x', status))).toBe(want);
  });

  it('maps core errors, network errors and anything else', () => {
    expect(classifyWechat(new AppError('SERVICE_UNAVAILABLE'))).toBe('retry');
    expect(classifyWechat(new AppError('PLUGIN_HOOK_TIMEOUT'))).toBe('retry');
    expect(classifyWechat(new AppError('REQ_VALIDATION'))).toBe('drop');
    expect(classifyWechat(new AppError('PLUGIN_SETTINGS_INVALID'))).toBe('drop');
    expect(classifyWechat(Object.assign(new Error('x'), { code: 'ECONNRESET' }))).toBe('retry');
    expect(classifyWechat(new TypeError('fetch failed', { cause: { code: 'ECONNREFUSED' } }))).toBe('retry');
    expect(classifyWechat(new DOMException('timed out', 'TimeoutError'))).toBe('retry');
    expect(classifyWechat(new TypeError('x is not a function'))).toBe('drop');
    for (const v of [undefined, null, 'text', 42, { errcode: -1 }]) expect(classifyWechat(v)).toBe('drop');
  });
});
