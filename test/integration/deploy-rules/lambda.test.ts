import { appOf } from './deploy-rule';
import { NO_RESERVED_CONCURRENCY } from './lambda';

test('a function that reserves concurrency breaks the rule', () => {
  const app = appOf({ Resources: { Fn: { Type: 'AWS::Lambda::Function', Properties: { ReservedConcurrentExecutions: 1 } } } });
  expect(NO_RESERVED_CONCURRENCY.check(app)).toEqual(['TestStack/Fn (AWS::Lambda::Function) reserves 1 concurrent executions']);
});

test('a function without a reservation keeps it', () => {
  expect(NO_RESERVED_CONCURRENCY.check(appOf({ Resources: { Fn: { Type: 'AWS::Lambda::Function', Properties: {} } } }))).toEqual([]);
});
