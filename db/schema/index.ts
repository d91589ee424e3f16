export * from './customers';
export * from './ledger';
export * from './merchants';
export * from './platform';
export * from './rules';
