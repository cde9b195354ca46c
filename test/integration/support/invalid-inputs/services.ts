import { InvalidCaseClass } from './case';

/** Invalid inputs of workloads: containers, environment, images, users, health checks, schedules, placement. */
export const SERVICE_CASES: InvalidCaseClass[] = [];
