import { AppError } from '@quadmeter/sdk';
import { describe, expect, it } from 'vitest';
import { monthlyConsumption } from './datasets/metering.ts';
import { defaultLayout } from './layouts.ts';
import { renderLayout, reportView } from './render.ts';
import type { Row } from './types.ts';

const rows: Row[] = [
  { area: 'A区', meterKind: 'meter-water', assetNo: 'W1', usage: 12.5, readings: 3 },
  { area: 'A区', meterKind: 'meter-power', assetNo: 'P1', usage: 100, readings: 3 },
  { area: 'B<script>alert(1)</script>', meterKind: 'meter-water', assetNo: 'W2', usage: 7, readings: 1 },
];
const view = (rs: Row[] = rows, lang: 'zh-CN' | 'en' = 'zh-CN') =>
  reportView(monthlyConsumption, { month: '2026-10' }, rs, lang, '2026-11-02T01:00:00.000Z');
const render = (src: string, rs?: Row[]) => renderLayout(src, view(rs), 'Asia/Shanghai');

function fault(src: string, rs?: Row[]): { code: string; reason: string } {
  try {
    render(src, rs);
  } catch (err) {
    expect(err).toBeInstanceOf(AppError);
    const e = err as AppError;
    return { code: e.code, reason: String((e.details as { reason: string }).reason) };
  }
  throw new Error(`rendered: ${src}`);
}

describe('report helpers', () => {
  it('groups, subtotals and formats numbers in zh-CN and en', () => {
    const src =
      '{{#each (groupBy rows "area") as |g|}}[{{g.key}}:{{g.count}}:{{num (sum g.rows "usage") 1}}]{{/each}}';
    expect(render(src)).toBe('[A区:2:112.5][B&lt;script&gt;alert(1)&lt;/script&gt;:1:7.0]');
    const big = [{ area: 'x', meterKind: 'k', assetNo: 'a', usage: 1234567.891, readings: 1 }];
    expect(renderLayout('{{num (sum rows "usage") 2}}', view(big, 'en'), 'UTC')).toBe('1,234,567.89');
    expect(renderLayout('{{money 123456}} {{pct 0.1234}}', view(big, 'zh-CN'), 'UTC')).toBe(
      '1,234.56 12.34%',
    );
  });

  it('draws a chart as SVG from data, escaping labels', () => {
    const out = render('{{chart "bar" rows "area" "usage"}}');
    expect(out.startsWith('<svg')).toBe(true);
    expect(out).not.toContain('<script>');
    expect(out).toContain('A区');
  });

  it('the default layout prints subtotals per area and kind and the total', () => {
    const out = render(defaultLayout('monthly-consumption'));
    expect(out).toContain('小计 A区');
    expect(out).toContain('112.50');
    expect(out).toContain('119.50');
  });
});

describe('hostile layouts cannot reach outside the dataset or run code', () => {
  it('prototype access prints nothing', () => {
    for (const src of [
      '{{constructor.constructor}}',
      '{{rows.constructor.name}}',
      '{{#with __proto__}}{{constructor}}{{/with}}',
      '{{lookup this "constructor"}}',
      '{{lookup (lookup this "constructor") "constructor"}}',
      '{{#with (lookup rows "constructor")}}{{name}}{{/with}}',
      '{{__proto__.polluted}}{{rows.__proto__.length}}',
      '{{#each columns as |c|}}{{lookup c "__proto__"}}{{/each}}',
      '{{process.env.HOME}}{{@root.process}}{{global.process}}',
    ])
      expect(render(src), src).toBe('');
  });

  it('a helper call on a prototype path is refused', () => {
    for (const src of [
      '{{constructor.constructor "return process"}}',
      '{{#with "x"}}{{constructor "1"}}{{/with}}',
    ]) {
      const f = fault(src);
      expect(f.code, src).toBe('REPORT_TEMPLATE_INVALID');
    }
  });

  it('the layout sees only the dataset: the root holds title, params, columns, rows and nothing else', () => {
    expect(render('{{#each @root}}{{@key}},{{/each}}')).toBe(
      'title,params,columns,groupColumn,rows,generatedAt,lang,',
    );
  });

  it('file, network and code helpers do not exist', () => {
    for (const src of [
      '{{readFile "/etc/passwd"}}',
      '{{fetch "http://127.0.0.1/"}}',
      '{{require "fs"}}',
      '{{import "node:fs"}}',
    ]) {
      const f = fault(src);
      expect(f.code, src).toBe('REPORT_TEMPLATE_INVALID');
      expect(f.reason, src).toContain('unknown helper');
    }
    // `log` is unregistered in the sandbox: the call fails instead of writing to the server log
    expect(fault('{{log "x"}}').code).toBe('REPORT_TEMPLATE_INVALID');
    expect(fault('{{#blockHelperMissing rows}}{{/blockHelperMissing}}').code).toBe('REPORT_TEMPLATE_INVALID');
  });

  it('partials, inline partials, decorators and raw output are refused', () => {
    expect(fault('{{> /etc/passwd}}').code).toBe('REPORT_TEMPLATE_INVALID');
    expect(fault('{{> etc}}').reason).toContain('partials');
    expect(fault('{{#> layout}}x{{/layout}}').reason).toContain('partials');
    expect(fault('{{#*inline "p"}}x{{/inline}}').reason).toContain('inline partials');
    expect(fault('{{* decorator}}').reason).toContain('decorators');
    expect(fault('{{{title}}}').reason).toContain('raw output');
    expect(fault('{{& title}}').reason).toContain('raw output');
  });

  it('a runaway loop (rows × rows) is refused, a single pass is fine', () => {
    const many: Row[] = Array.from({ length: 1000 }, (_, i) => ({ area: `a${i}`, usage: 1 }));
    const f = fault('{{#each rows}}{{#each @root.rows}}.{{/each}}{{/each}}', many);
    expect(f.code).toBe('REPORT_TEMPLATE_INVALID');
    expect(f.reason).toContain('iterates too much');
    expect(fault('{{#each rows}}{{sum @root.rows "usage"}}{{/each}}', many).reason).toContain(
      'iterates too much',
    );
    expect(render('{{#each rows}}.{{/each}}', many)).toHaveLength(1000);
  });

  it('charts take data only: an unknown kind or missing columns are refused', () => {
    expect(fault('{{chart "script" rows "area" "usage"}}').reason).toContain('chart kind');
    expect(fault('{{chart "bar" rows}}').reason).toContain('label column');
  });

  it('a syntax error answers its line and column', () => {
    try {
      render('<p>\n{{#each rows}}\n{{/with}}');
      throw new Error('rendered');
    } catch (err) {
      expect((err as AppError).code).toBe('REPORT_TEMPLATE_INVALID');
      expect((err as AppError).details).toMatchObject({ line: 2 });
    }
  });
});
