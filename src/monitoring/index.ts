export * from './ops-topic';
