export * from './infrastructure';
export * from './apps';
