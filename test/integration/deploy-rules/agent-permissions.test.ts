import { AGENT_PERMISSIONS } from './agent-permissions';
import { appOf, Template } from './deploy-rule';
import { BASE_AGENT_ACTIONS } from '../../../src/cluster/private/agent-permissions';

/** A launch template with `userData`, whose instance role is allowed `actions`. */
function instances(userData: unknown, actions: string[]): Template {
  return {
    Resources: {
      LaunchTemplate: {
        Type: 'AWS::EC2::LaunchTemplate',
        Properties: {
          LaunchTemplateData: {
            ImageId: 'resolve:ssm:/aws/service/ecs/optimized-ami/amazon-linux-2023/recommended/image_id',
            IamInstanceProfile: { Arn: { 'Fn::GetAtt': ['Profile', 'Arn'] } },
            UserData: { 'Fn::Base64': userData },
          },
        },
      },
      Profile: { Type: 'AWS::IAM::InstanceProfile', Properties: { Roles: [{ Ref: 'Role' }] } },
      Role: { Type: 'AWS::IAM::Role', Properties: {} },
      Policy: {
        Type: 'AWS::IAM::Policy',
        Properties: { Roles: [{ Ref: 'Role' }], PolicyDocument: { Statement: [{ Effect: 'Allow', Action: actions, Resource: '*' }] } },
      },
    },
  };
}

const SPOT_LINUX = { 'Fn::Join': ['', ["#!/bin/bash\ncat <<'EOF' >> /etc/ecs/ecs.config\nECS_CLUSTER=", { Ref: 'Cluster' }, '\nECS_ENABLE_SPOT_INSTANCE_DRAINING=true\nEOF']] };
const TAGS_WINDOWS = "<powershell>\n[Environment]::SetEnvironmentVariable('ECS_CONTAINER_INSTANCE_TAGS', '{\"Team\":\"a\"}', 'Machine')\n" +
  "Initialize-ECSAgent -Cluster 'c' -EnableTaskIAMRole\n</powershell>";
const SPOT_BOTTLEROCKET = '[settings.ecs]\ncluster = "c"\nenable-spot-instance-draining = true\nawsvpc-block-imds = true';

test('Spot draining on Amazon Linux without ecs:UpdateContainerInstancesState breaks the rule', () => {
  expect(AGENT_PERMISSIONS.check(appOf(instances(SPOT_LINUX, [...BASE_AGENT_ACTIONS])))).toEqual([
    'TestStack/LaunchTemplate (AWS::EC2::LaunchTemplate): the instance role does not allow ecs:UpdateContainerInstancesState, ' +
    'which the agent calls (ECS_ENABLE_SPOT_INSTANCE_DRAINING=true)',
  ]);
});

test('Spot draining on Bottlerocket without ecs:UpdateContainerInstancesState breaks the rule', () => {
  expect(AGENT_PERMISSIONS.check(appOf(instances(SPOT_BOTTLEROCKET, [...BASE_AGENT_ACTIONS])))).toHaveLength(1);
});

test('instance tags on Windows without ecs:TagResource break the rule', () => {
  expect(AGENT_PERMISSIONS.check(appOf(instances(TAGS_WINDOWS, [...BASE_AGENT_ACTIONS])))).toEqual([
    'TestStack/LaunchTemplate (AWS::EC2::LaunchTemplate): the instance role does not allow ecs:TagResource, ' +
    'which the agent calls (ECS_CONTAINER_INSTANCE_TAGS={"Team":"a"})',
  ]);
});

test('an instance role without the base actions breaks the rule', () => {
  expect(AGENT_PERMISSIONS.check(appOf(instances(SPOT_BOTTLEROCKET, ['ecs:UpdateContainerInstancesState'])))).toHaveLength(BASE_AGENT_ACTIONS.length);
});

test.each<[string, unknown, string[]]>([
  ['Spot draining with its permission', SPOT_LINUX, [...BASE_AGENT_ACTIONS, 'ecs:UpdateContainerInstancesState']],
  ['instance tags with their permission', TAGS_WINDOWS, [...BASE_AGENT_ACTIONS, 'ecs:TagResource']],
  ['a wildcard', SPOT_BOTTLEROCKET, ['ecs:*']],
  ['user data that configures no agent', '#!/bin/bash\necho hi', []],
])('%s keeps the rule', (_, userData, actions) => {
  expect(AGENT_PERMISSIONS.check(appOf(instances(userData, actions)))).toEqual([]);
});
