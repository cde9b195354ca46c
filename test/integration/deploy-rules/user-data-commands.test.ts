import { appOf, Template } from './deploy-rule';
import { USER_DATA_COMMANDS } from './user-data-commands';

function launchTemplate(userData: string, imageId = 'resolve:ssm:/aws/service/ecs/optimized-ami/amazon-linux-2023/arm64/recommended/image_id'): Template {
  return {
    Resources: {
      LaunchTemplate: { Type: 'AWS::EC2::LaunchTemplate', Properties: { LaunchTemplateData: { ImageId: imageId, UserData: { 'Fn::Base64': userData } } } },
    },
  };
}

test('aws s3 cp without installing the AWS CLI first breaks the rule', () => {
  const script = "#!/bin/bash\nset -euo pipefail\naws s3 cp 's3://bucket/key' /etc/ecs/ecs.config";
  expect(USER_DATA_COMMANDS.check(appOf(launchTemplate(script)))).toEqual([
    'TestStack/LaunchTemplate (AWS::EC2::LaunchTemplate): user data line 3 runs `aws`, which the Amazon Linux 2023 ECS AMI does not ' +
    'have and no earlier line installs',
  ]);
});

test('the AWS CLI installed after its use breaks the rule', () => {
  const script = "#!/bin/bash\naws s3 cp 's3://b/k' /etc/ecs/ecs.config && dnf install -y awscli-2";
  expect(USER_DATA_COMMANDS.check(appOf(launchTemplate(script)))).toHaveLength(1);
});

test('a command behind a pipe is checked too', () => {
  expect(USER_DATA_COMMANDS.check(appOf(launchTemplate('#!/bin/bash\ncat /etc/os-release | jq .')))).toHaveLength(1);
});

test.each([
  ['the CLI installed first', "#!/bin/bash\ndnf install -y awscli-2\naws s3 cp 's3://b/k' /etc/ecs/ecs.config"],
  ['heredoc lines, which are data', "#!/bin/bash\ncat <<'EOF' >> /etc/ecs/ecs.config\nnot-a-command here\nEOF\nsystemctl enable --now rsyslog"],
  ['quoted text', "#!/bin/bash\ntrap 'echo failed; jq x' ERR"],
])('%s keeps the rule', (_, script) => {
  expect(USER_DATA_COMMANDS.check(appOf(launchTemplate(script)))).toEqual([]);
});

test('a launch template of another family is not checked', () => {
  const windows = launchTemplate('<powershell>\nInitialize-ECSAgent\n</powershell>', 'resolve:ssm:/aws/service/ami-windows-latest/x/image_id');
  expect(USER_DATA_COMMANDS.check(appOf(windows))).toEqual([]);
});
