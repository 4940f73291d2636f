/** Document kinds, their paper variants and default number patterns (docs/decisions/0035). */
export const documentKinds = ['receipt', 'invoice', 'payment-notice', 'arrears-notice'] as const;
export type DocumentKind = (typeof documentKinds)[number];

export const documentVariants = ['a4', 'thermal80'] as const;
export type DocumentVariant = (typeof documentVariants)[number];

/** The variants each kind prints on: a receipt also on an 80 mm thermal roll. */
export const variantsOf: Readonly<Record<DocumentKind, readonly DocumentVariant[]>> = {
  receipt: ['a4', 'thermal80'],
  invoice: ['a4'],
  'payment-notice': ['a4'],
  'arrears-notice': ['a4'],
};

export const defaultPatterns: Readonly<Record<DocumentKind, string>> = {
  receipt: 'SJ{yyyy}{seq:6}',
  invoice: 'FP{yyyy}{seq:6}',
  'payment-notice': 'TZ{yyyy}{mm}{seq:6}',
  'arrears-notice': 'QF{yyyy}{seq:6}',
};

export function isDocumentKind(s: string): s is DocumentKind {
  return (documentKinds as readonly string[]).includes(s);
}

export function isVariantOf(kind: DocumentKind, s: string): s is DocumentVariant {
  return (variantsOf[kind] as readonly string[]).includes(s);
}
