import { AppError } from '@quadmeter/sdk';
import { renderSandboxed, TemplateFault } from '../templating/sandbox.ts';
import { documentHelpers } from './helpers.ts';

export const MAX_TEMPLATE = 65_536;
const MAX_OUTPUT = 1_000_000;

/**
 * Renders a document template (HTML, every value escaped, no raw output) with the document
 * helpers; DOCUMENT_TEMPLATE_INVALID (422) with the line and column on any failure.
 */
export function renderDocument(source: string, view: object, timeZone: string): string {
  try {
    return renderSandboxed(source, view, {
      noEscape: false,
      refuseRaw: true,
      helpers: documentHelpers,
      maxSource: MAX_TEMPLATE,
      maxOutput: MAX_OUTPUT,
      data: { timeZone },
    });
  } catch (err) {
    const f = err instanceof TemplateFault ? err : new TemplateFault(String(err), null, null);
    const at = f.line === null ? '' : ` (line ${f.line}${f.column === null ? '' : `, column ${f.column}`})`;
    throw new AppError('DOCUMENT_TEMPLATE_INVALID', `The template does not render${at}: ${f.message}`, {
      reason: f.message,
      line: f.line,
      column: f.column,
    });
  }
}
