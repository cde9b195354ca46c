/**
 * Property test: 100 random valid platforms (seed 20261125) synthesize with CloudFormation validation, pass AwsSolutions
 * and carry no warning (support/valid-platforms.ts). properties-valid-b.test.ts checks 100 more with another seed:
 * two files, so that jest checks both halves at once, one per core.
 */
import { describeRandomValidPlatforms } from './support/valid-platforms';

describeRandomValidPlatforms(20261125, 100);
