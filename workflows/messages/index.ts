// Every message, DTO and search attribute of the workflows, defined once for the worker and the API,
// one module per process (common.ts: what they share). Import from here or from the process's module.
export * from './common';
export * from './registration';
export * from './accounts';
export * from './permission';
export * from './identity-merge';
export * from './report';
export * from './csizs';
export * from './receipts';
