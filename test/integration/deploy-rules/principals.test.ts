import { appOf, Template } from './deploy-rule';
import { PRINCIPALS_EXIST } from './principals';

function keyWithPrincipal(principal: unknown, condition?: unknown): Template {
  return {
    Resources: {
      Key: {
        Type: 'AWS::KMS::Key',
        Properties: { KeyPolicy: { Statement: [{ Effect: 'Allow', Action: 'kms:*', Principal: principal, Resource: '*', Condition: condition }] } },
      },
      Role: { Type: 'AWS::IAM::Role', Properties: {} },
    },
  };
}

const SERVICE_LINKED_ROLE = { 'Fn::Join': ['', ['arn:', { Ref: 'AWS::Partition' }, ':iam::123456789012:role/aws-service-role/autoscaling.amazonaws.com/AWSServiceRoleForAutoScaling']] };

test('a key policy that names a service-linked role as its principal breaks the rule', () => {
  expect(PRINCIPALS_EXIST.check(appOf(keyWithPrincipal({ AWS: SERVICE_LINKED_ROLE })))).toEqual([
    expect.stringContaining('TestStack/Key (AWS::KMS::Key) names the principal'),
  ]);
});

test('a queue policy that names a role ARN string breaks the rule', () => {
  const template: Template = {
    Resources: {
      Policy: {
        Type: 'AWS::SQS::QueuePolicy',
        Properties: { PolicyDocument: { Statement: [{ Principal: { AWS: ['arn:aws:iam::123456789012:role/Somebody'] } }] } },
      },
    },
  };
  expect(PRINCIPALS_EXIST.check(appOf(template))).toHaveLength(1);
});

test('the same role in an aws:PrincipalArn condition, accounts, services and roles of the stack keep the rule', () => {
  for (const principal of [
    { AWS: '*' },
    { AWS: { 'Fn::Join': ['', ['arn:', { Ref: 'AWS::Partition' }, ':iam::123456789012:root']] } },
    { AWS: '123456789012' },
    { AWS: { 'Fn::GetAtt': ['Role', 'Arn'] } },
    { AWS: { 'Fn::ImportValue': 'Platform:ExportsOutputRoleArn' } },
    { Service: 'cloudwatch.amazonaws.com' },
  ]) {
    expect(PRINCIPALS_EXIST.check(appOf(keyWithPrincipal(principal, { ArnEquals: { 'aws:PrincipalArn': SERVICE_LINKED_ROLE } })))).toEqual([]);
  }
});
