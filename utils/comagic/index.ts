export * from './client';
export * from './endpoints';
export * from './errors';
export * from './paging';
export * from './schemas';
