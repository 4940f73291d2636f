import { describe, expect, it } from 'vitest';
import { renderNotice } from '../notify/render.ts';
import { renderSandboxed, TemplateFault } from '../templating/sandbox.ts';
import { joinPages } from './batch.ts';
import { documentKinds, variantsOf } from './kinds.ts';
import { formatNumber, parsePattern, periodOf } from './numbering.ts';
import { renderDocument } from './render.ts';
import { sampleView } from './samples.ts';
import { defaultSource } from './templates.ts';

const TZ = 'Asia/Shanghai';

function fault(fn: () => unknown): { code: string; details: Record<string, unknown> } {
  try {
    fn();
  } catch (e) {
    return e as { code: string; details: Record<string, unknown> };
  }
  throw new Error('did not throw');
}

describe('document helpers', () => {
  it('formats fen as 元 and 大写, dates in the tenant zone, padding and equality', () => {
    const out = renderDocument(
      '{{yuan a}}|{{yuan b}}|{{rmb a}}|{{rmb b}}|{{rmb "0"}}|{{date t}}|{{datetime t}}|{{date "2026-01-02"}}|{{pad n 5}}|{{#if (eq k "x")}}Y{{/if}}|{{yuan "1.5"}}',
      { a: '100005', b: -250, t: '2026-11-30T17:30:00.000Z', n: 42, k: 'x' },
      TZ,
    );
    expect(out).toBe(
      '1000.05|-2.50|壹仟元零伍分|负贰元伍角整|零元整|2026-12-01|2026-12-01 01:30:00|2026-01-02|00042|Y|',
    );
  });
});

describe('sandbox', () => {
  it('renders every shipped default with its sample data, escaping values', () => {
    for (const kind of documentKinds)
      for (const variant of variantsOf[kind]) {
        const view = sampleView(kind);
        view.customer.name = '<b>&"</b>';
        if (view.einvoice) view.einvoice.buyerName = view.customer.name;
        const html = renderDocument(defaultSource(kind, variant), view, TZ);
        expect(html, `${kind}/${variant}`).toContain('&lt;b&gt;&amp;&quot;&lt;/b&gt;');
        expect(html).toContain('@page');
      }
  });

  it('reports the line and column of syntax errors, unknown helpers, partials and raw output', () => {
    const cases: [string, number, number][] = [
      // the block's name (`if`) is where Handlebars places a mismatch
      ['a\nb {{#if x}}\n{{/each}}', 2, 6],
      ['a\n  {{x', 2, 5],
      ['a\n\n  {{nope 1}}', 3, 3],
      ['{{x}}\n {{> p}}', 2, 2],
      ['{{#*inline "r"}}{{> r}}{{/inline}}', 1, 1],
      ['x\n{{{raw}}}', 2, 1],
    ];
    for (const [src, line, column] of cases) {
      const e = fault(() => renderDocument(src, {}, TZ));
      expect(e.code, src).toBe('DOCUMENT_TEMPLATE_INVALID');
      expect(e.details.line, src).toBe(line);
      expect(e.details.column, src).toBe(column);
    }
  });

  it('never reaches prototypes, and bounds the source and the output', () => {
    const proto = '{{constructor}}{{__proto__}}{{a.constructor.name}}{{lookup a "__proto__"}}{{a.toString}}';
    expect(renderSandboxed(proto, { a: {} }, { noEscape: true, maxOutput: 100 })).toBe('');
    expect(() =>
      renderSandboxed('x'.repeat(11), {}, { noEscape: true, maxSource: 10, maxOutput: 100 }),
    ).toThrow(TemplateFault);
    const many = { items: Array.from({ length: 1000 }, (_, i) => i) };
    const e = (() => {
      try {
        renderSandboxed('{{#each items}}xxxxxxxxxx{{/each}}', many, { noEscape: true, maxOutput: 5000 });
      } catch (err) {
        return err as TemplateFault;
      }
    })();
    expect(e?.message).toContain('longer than 5000');
    // notices go through the same sandbox: partials are refused there too
    const n = fault(() => renderNotice({ subject: '', body: 'x {{> p}}' }, 'sms', {}));
    expect(n.code).toBe('NOTIFY_TEMPLATE_INVALID');
    expect(n.details.line).toBe(1);
  });
});

describe('number patterns', () => {
  it('formats numbers in the tenant zone and restarts per period', () => {
    const at = new Date('2026-12-31T16:30:00Z'); // 2027-01-01 00:30 in Shanghai
    const parts = parsePattern('SJ-{yyyy}{mm}-{seq:5}');
    expect(formatNumber(parts, 42n, at, TZ)).toBe('SJ-202701-00042');
    expect(periodOf(parts, at, TZ)).toBe('202701');
    expect(periodOf(parsePattern('X{seq:3}'), at, TZ)).toBe('');
  });

  it('refuses patterns without exactly one {seq:N} or with unknown fields', () => {
    for (const p of ['SJ', '{seq:2}{seq:2}', '{seq:13}', '{hh}{seq:2}', 'a b{seq:2}', '{seq:2', '{seq}'])
      expect(fault(() => parsePattern(p)).code, p).toBe('DOCUMENT_NUMBER_PATTERN_INVALID');
  });
});

describe('batch pages', () => {
  it('keeps each style once and breaks pages between documents, not after the last', () => {
    const page = (n: number) => `<html><head><style>h1{x}</style></head><body><h1>${n}</h1></body></html>`;
    const html = joinPages([page(1), page(2), page(3)], 'T<>');
    expect(html.match(/h1\{x\}/g)).toHaveLength(1);
    expect(html.match(/<section class="qm-page">/g)).toHaveLength(3);
    expect(html).toContain('.qm-page:last-child{break-after:auto');
    expect(html).toContain('<title>T&#60;&#62;</title>');
  });
});
