export * from './bcd.ts';
export * from './bytes.ts';
export type * from './codec.ts';
export * from './errors.ts';
export * from './extractor.ts';
export * from './no-value.ts';
