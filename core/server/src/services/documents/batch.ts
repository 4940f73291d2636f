/**
 * Joins issued documents into one printable page: each document's styles once, each body in its
 * own section with a page break after it (the last one without, so no blank sheet comes out).
 */
export function joinPages(pages: readonly string[], title: string): string {
  const styles = new Set<string>();
  const bodies: string[] = [];
  for (const html of pages) {
    for (const m of html.matchAll(/<style[^>]*>([\s\S]*?)<\/style>/gi)) styles.add(m[1] ?? '');
    const body = /<body[^>]*>([\s\S]*)<\/body>/i.exec(html);
    bodies.push(body ? (body[1] ?? '') : html);
  }
  const esc = title.replace(/[&<>"']/g, (ch) => `&#${ch.charCodeAt(0)};`);
  return `<!doctype html>
<html lang="zh-CN"><head><meta charset="utf-8"><title>${esc}</title>
<style>
${[...styles].join('\n')}
.qm-page{break-after:page;page-break-after:always}
.qm-page:last-child{break-after:auto;page-break-after:auto}
</style></head>
<body>
${bodies.map((b) => `<section class="qm-page">${b}</section>`).join('\n')}
</body></html>
`;
}
