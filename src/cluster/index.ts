export * from './ec2-capacity';
export * from './capacity-share';
export * from './ecs-cluster';
export * from './ami-update-alerts';
export * from './ami-family';
export * from './container-agent-settings';
export * from './ops-topic';
