export * from './infrastructure';
export * from './apps';
export * from './processes';
