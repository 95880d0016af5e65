export * from './reference.ts';
export * from './lock.ts';
export * from './resolve.ts';
