export * from './customers';
export * from './merchants';
export * from './platform';
