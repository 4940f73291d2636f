export * from './areas.ts';
export * from './audit.ts';
export * from './identity.ts';
export * from './platform.ts';
export * from './plugins.ts';
