/**
 * Property test: 100 random valid platforms (seed 20261125) synthesize with CloudFormation validation, pass AwsSolutions
 * and carry no warning (support/valid-platforms.ts). properties-valid-b.test.ts checks 100 more with another seed:
 * two files, so that jest checks both halves at once, one per core.
 */
import { checkRandomValidPlatforms } from './support/valid-platforms';

describe('random valid platforms', () => {
  const previousValidation = process.env.CDK_VALIDATION;
  beforeAll(() => { delete process.env.CDK_VALIDATION; });
  afterAll(() => { process.env.CDK_VALIDATION = previousValidation; });

  test('synthesize with CloudFormation validation, pass AwsSolutions and carry no synth warnings or errors', () => {
    checkRandomValidPlatforms(20261125, 100);
  });
});
