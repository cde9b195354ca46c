import { appOf } from './deploy-rule';
import { ROLLBACK_LEAVES_NOTHING } from './rollback-leaves-nothing';

test('a resource kept with Retain breaks the rule', () => {
  expect(ROLLBACK_LEAVES_NOTHING.check(appOf({ Resources: { Logs: { Type: 'AWS::Logs::LogGroup', DeletionPolicy: 'Retain' } } })))
    .toEqual(['TestStack/Logs (AWS::Logs::LogGroup) has DeletionPolicy Retain: a failed create leaves it behind']);
});

test('RetainExceptOnCreate, Delete and no policy keep the rule', () => {
  expect(ROLLBACK_LEAVES_NOTHING.check(appOf({
    Resources: {
      Kept: { Type: 'AWS::Logs::LogGroup', DeletionPolicy: 'RetainExceptOnCreate' },
      Deleted: { Type: 'AWS::Logs::LogGroup', DeletionPolicy: 'Delete' },
      Default: { Type: 'AWS::SNS::Topic' },
    },
  }))).toEqual([]);
});
