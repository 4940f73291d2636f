export * from './allocate.ts';
export * from './allocation-plan.ts';
export type { Allocation } from './allocation-store.ts';
export { allocationsOf } from './allocation-store.ts';
export * from './balance.ts';
export * from './entry.ts';
export * from './post.ts';
export * from './reverse.ts';
