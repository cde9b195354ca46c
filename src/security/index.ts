export * from './image-repository';
export * from './parameter-secrets';
export * from './task-roles';
export * from './task-secret';
