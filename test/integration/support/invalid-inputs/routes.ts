import { InvalidCaseClass } from './case';

/** Invalid routes. */
export const ROUTE_CASES: InvalidCaseClass[] = [];
