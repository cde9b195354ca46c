export * from './alarm-options';
export * from './platform-alarms';
export * from './platform-dashboard';
