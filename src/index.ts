export * from './cluster';
export * from './monitoring';
export * from './security';
export * from './service';
export * from './platform';
export * from './platform-stack';
