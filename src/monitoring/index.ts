export * from './ops-topic';
export * from './platform-alarms';
export * from './platform-dashboard';
