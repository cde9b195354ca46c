export * from './public-load-balancer';
export * from './route-match';
export * from './web-service';
export * from './workload-task-options';
