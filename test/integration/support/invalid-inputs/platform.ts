import { InvalidCaseClass } from './case';

/** Invalid inputs of the platform, its capacities, load balancer and secrets. */
export const PLATFORM_CASES: InvalidCaseClass[] = [];
