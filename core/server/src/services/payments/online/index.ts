export * from './apply-outcome.ts';
export * from './lifecycle.ts';
export * from './notification.ts';
export * from './order-dto.ts';
export * from './providers.ts';
export * from './reconcile.ts';
