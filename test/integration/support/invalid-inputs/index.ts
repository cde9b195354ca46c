import * as fc from 'fast-check';
import { BASE_CASES } from './base';
import { InvalidCase } from './case';
import { PLATFORM_CASES } from './platform';
import { ROUTE_CASES } from './routes';
import { SERVICE_CASES } from './services';

export type { InvalidCase } from './case';

/** Every class of invalid input, each equally likely. */
export const invalidCase: fc.Arbitrary<InvalidCase> = fc.oneof(...BASE_CASES, ...SERVICE_CASES, ...PLATFORM_CASES, ...ROUTE_CASES);
