export * from './errors';
export * from './regions';
export * from './settings';
export * from './formats';
export * from './generation';
export * from './contract';
export * from './aws';
export * from './ids';
