export * from './errors.ts';
export * from './bytes.ts';
export * from './bcd.ts';
export * from './extractor.ts';
export type * from './codec.ts';
