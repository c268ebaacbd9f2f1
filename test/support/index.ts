export * from './infrastructure';
export * from './apps';
export * from './processes';
export * from './kafka';
export * from './broker';
