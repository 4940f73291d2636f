import { describe, expect, it } from 'vitest';
import { releaseTime } from './quiet-hours.ts';
import { renderNotice } from './render.ts';
import { DEFAULT_NOTIFY_SETTINGS } from './settings.ts';
import { parseTemplateFile } from './templates.ts';

const s = DEFAULT_NOTIFY_SETTINGS; // 22:00–08:00 Asia/Shanghai (UTC+8)
const at = (iso: string) => new Date(iso);

describe('quiet hours', () => {
  it('hold a notice due inside the window (across midnight) until it ends, in tenant local time', () => {
    // 23:30 local = 15:30Z → 08:00 local next day = 00:00Z
    expect(releaseTime(at('2026-12-01T15:30:00.000Z'), 'overdraft', s).toISOString()).toBe(
      '2026-12-02T00:00:00.000Z',
    );
    // 03:15:20.5 local = 19:15:20.500Z the day before → 00:00Z
    expect(releaseTime(at('2026-12-01T19:15:20.500Z'), 'overdraft', s).toISOString()).toBe(
      '2026-12-02T00:00:00.000Z',
    );
    // 22:00 exactly is inside; 08:00 exactly is outside
    expect(releaseTime(at('2026-12-01T14:00:00.000Z'), 'overdraft', s).toISOString()).toBe(
      '2026-12-02T00:00:00.000Z',
    );
    expect(releaseTime(at('2026-12-02T00:00:00.000Z'), 'overdraft', s).toISOString()).toBe(
      '2026-12-02T00:00:00.000Z',
    );
  });

  it('let a notice due outside the window, an urgent event, or no window go at once', () => {
    const noon = at('2026-12-01T04:00:00.000Z');
    expect(releaseTime(noon, 'overdraft', s)).toEqual(noon);
    const night = at('2026-12-01T16:00:00.000Z');
    expect(releaseTime(night, 'cut-done', { ...s, urgentEvents: ['cut-done'] })).toEqual(night);
    expect(releaseTime(night, 'overdraft', { ...s, quietStart: '00:00', quietEnd: '00:00' })).toEqual(night);
  });

  it('handle a window within one day and another time zone', () => {
    const day = { ...s, quietStart: '12:00', quietEnd: '14:00', timeZone: 'Europe/London' };
    expect(releaseTime(at('2026-12-01T12:30:00.000Z'), 'overdraft', day).toISOString()).toBe(
      '2026-12-01T14:00:00.000Z',
    );
    expect(releaseTime(at('2026-12-01T11:59:00.000Z'), 'overdraft', day).toISOString()).toBe(
      '2026-12-01T11:59:00.000Z',
    );
  });
});

describe('notice rendering', () => {
  it('escapes variables in e-mail bodies only; subjects are plain text on one line', () => {
    const vars = { n: '<i>a&b</i>' };
    expect(renderNotice({ subject: 'S {{n}}\nX', body: '<p>{{n}}</p>' }, 'email', vars)).toEqual({
      subject: 'S <i>a&b</i> X',
      body: '<p>&lt;i&gt;a&amp;b&lt;/i&gt;</p>',
    });
    expect(renderNotice({ subject: '', body: '{{n}}' }, 'sms', vars).body).toBe('<i>a&b</i>');
    expect(renderNotice({ subject: '', body: '{{n}}' }, 'wechat', vars).body).toBe('<i>a&b</i>');
  });

  it('refuses unknown helpers, partials and syntax errors with NOTIFY_TEMPLATE_INVALID', () => {
    for (const body of ['{{foo n}}', '{{> p}}', '{{#each}}', '{{n'])
      expect(() => renderNotice({ subject: '', body }, 'sms', {}), body).toThrow(
        expect.objectContaining({ code: 'NOTIFY_TEMPLATE_INVALID' }),
      );
  });

  it('never reaches the prototype of the variables', () => {
    expect(renderNotice({ subject: '', body: '[{{constructor.name}}][{{__proto__}}]' }, 'sms', {}).body).toBe(
      '[][]',
    );
  });

  it('reads the Subject line convention of e-mail template files', () => {
    expect(parseTemplateFile('Subject: 缴费成功\n\n<p>x</p>\n')).toEqual({
      subject: '缴费成功',
      body: '<p>x</p>\n',
    });
    expect(parseTemplateFile('no subject\n')).toEqual({ subject: '', body: 'no subject\n' });
  });
});
