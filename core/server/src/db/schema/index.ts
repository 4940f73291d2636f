export * from './platform.ts';
export * from './identity.ts';
export * from './areas.ts';
export * from './audit.ts';
export * from './plugins.ts';
