export * from './customers';
export * from './feedback';
export * from './ledger';
export * from './merchants';
export * from './platform';
export * from './referrals';
export * from './rules';
