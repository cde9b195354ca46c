export * from './ec2-capacity';
export * from './ecs-cluster';
