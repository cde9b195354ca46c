import { DeployRule, resourcesOf, where } from './deploy-rule';

/**
 * No function reserves concurrency. A new account's Lambda concurrency quota is 10, and Lambda refuses a reservation
 * that leaves less than 10 unreserved (`ReservedConcurrentExecutions` fails with "Specified ReservedConcurrentExecutions
 * for function decreases account's UnreservedConcurrentExecution below its minimum value of [10]").
 */
export const NO_RESERVED_CONCURRENCY: DeployRule = {
  id: 'lambda-no-reserved-concurrency',
  description: 'no Lambda function reserves concurrency: a new account has 10, all of which must stay unreserved',
  docs: [
    'https://docs.aws.amazon.com/lambda/latest/dg/configuration-concurrency.html',
    'https://docs.aws.amazon.com/lambda/latest/dg/gettingstarted-limits.html',
  ],
  check(app) {
    return [...resourcesOf(app, 'AWS::Lambda::Function')]
      .filter(({ resource }) => resource.Properties?.ReservedConcurrentExecutions !== undefined)
      .map(({ stack, logicalId, resource }) =>
        `${where(stack, logicalId, resource)} reserves ${JSON.stringify(resource.Properties?.ReservedConcurrentExecutions)} concurrent executions`);
  },
};
