export * from './platform-alarms';
export * from './platform-dashboard';
