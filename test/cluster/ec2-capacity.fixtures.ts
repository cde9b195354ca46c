import { Stack } from 'aws-cdk-lib';
import { Template } from 'aws-cdk-lib/assertions';
import * as ec2 from 'aws-cdk-lib/aws-ec2';
import * as ecs from 'aws-cdk-lib/aws-ecs';
import { testStack, testVpc } from '../util';

/** Shared by the `Ec2Capacity` test files: a stack with a VPC and an `ecs.Cluster` for the capacity to join. */
export interface CapacityFixture {
  readonly stack: Stack;
  readonly vpc: ec2.Vpc;
  readonly cluster: ecs.Cluster;
}

export function capacityFixture(): CapacityFixture {
  const stack = testStack();
  const vpc = testVpc(stack);
  const cluster = new ecs.Cluster(stack, 'Cluster', { vpc });
  return { stack, vpc, cluster };
}

/** A token as it appears in `userDataScript()`: the JSON of its resolved value (`{"Ref":"ClusterEB0386A7"}`). */
export function tokenText(stack: Stack, token: string): string {
  return JSON.stringify(stack.resolve(token));
}

/** The launch template's user data, with every token part written as its JSON (`{"Ref":"..."}`). */
export function userDataScript(template: Template): string {
  const launchTemplates = Object.values(template.findResources('AWS::EC2::LaunchTemplate'));
  expect(launchTemplates).toHaveLength(1);
  const userData = launchTemplates[0].Properties.LaunchTemplateData.UserData;
  const joined = userData['Fn::Base64'];
  if (typeof joined === 'string') return joined;
  const [separator, parts] = joined['Fn::Join'];
  expect(separator).toEqual('');
  return (parts as unknown[]).map((part) => (typeof part === 'string' ? part : JSON.stringify(part))).join('');
}

/** The logical id of the one resource of `type` in the template. */
export function onlyLogicalId(template: Template, type: string): string {
  const ids = Object.keys(template.findResources(type));
  expect(ids).toHaveLength(1);
  return ids[0];
}

/** The `ecs.config` lines of the heredoc in Amazon Linux user data, without the `cat` and `EOF` lines. */
export function ecsConfigLines(script: string): string[] {
  const heredoc = /cat <<'EOF' >> \/etc\/ecs\/ecs\.config\n([\s\S]*?)\nEOF/.exec(script);
  expect(heredoc).not.toBeNull();
  return heredoc![1].split('\n');
}

/** The JSON of the instance log group's name token in `userDataScript()`, for a capacity with instance logs. */
export function instanceLogGroupText(stack: Stack, capacity: { readonly instanceLogGroup?: { readonly logGroupName: string } }): string {
  expect(capacity.instanceLogGroup).toBeDefined();
  return tokenText(stack, capacity.instanceLogGroup!.logGroupName);
}

/** The Amazon Linux 2023 user data lines that ship the instance logs to `logGroup` (a token's text): pinned byte for byte. */
export function amazonLinuxInstanceLogLines(logGroup: string): string[] {
  const file = (path: string, stream: string) =>
    `{"file_path":"${path}","log_group_name":"${logGroup}","log_stream_name":"{instance_id}/${stream}"}`;
  return [
    'dnf install -y amazon-cloudwatch-agent rsyslog',
    'systemctl enable --now rsyslog',
    "cat <<'EOF' > /opt/aws/amazon-cloudwatch-agent/etc/amazon-cloudwatch-agent.json",
    '{"logs":{"logs_collected":{"files":{"collect_list":[' + [
      file('/var/log/ecs/ecs-agent.log', 'ecs-agent'),
      file('/var/log/ecs/ecs-init.log', 'ecs-init'),
      file('/var/log/ecs/audit.log', 'ecs-audit'),
      file('/var/log/messages', 'messages'),
      file('/var/log/cloud-init-output.log', 'cloud-init-output'),
    ].join(',') + ']}}}}',
    'EOF',
    '/opt/aws/amazon-cloudwatch-agent/bin/amazon-cloudwatch-agent-ctl -a fetch-config -m ec2 -s -c file:/opt/aws/amazon-cloudwatch-agent/etc/amazon-cloudwatch-agent.json',
  ];
}

/**
 * The Windows user data lines that ship the instance logs to `logGroup` (a token's text), with the CloudWatch agent's
 * MSI downloaded from AWS's bucket in `region` (`urlSuffix` is the text of the URL suffix token): pinned byte for byte.
 */
export function windowsInstanceLogLines(logGroup: string, region: string, urlSuffix: string): string[] {
  const file = (path: string, stream: string) =>
    `{"file_path":"${path.replace(/\\/g, '\\\\')}","log_group_name":"${logGroup}","log_stream_name":"{instance_id}/${stream}"}`;
  const events = (name: string, stream: string) =>
    `{"event_levels":["CRITICAL","ERROR","WARNING"],"event_name":"${name}","log_group_name":"${logGroup}","log_stream_name":"{instance_id}/${stream}"}`;
  const config = 'C:\\ProgramData\\Amazon\\AmazonCloudWatchAgent\\amazon-cloudwatch-agent.json';
  return [
    '[Net.ServicePointManager]::SecurityProtocol = [Net.SecurityProtocolType]::Tls12',
    "$ProgressPreference = 'SilentlyContinue'",
    "$CloudWatchAgentMsi = Join-Path $env:TEMP 'amazon-cloudwatch-agent.msi'",
    `Invoke-WebRequest -UseBasicParsing -Uri 'https://amazoncloudwatch-agent-${region}.s3.${region}.${urlSuffix}/windows/amd64/latest/amazon-cloudwatch-agent.msi' -OutFile $CloudWatchAgentMsi`,
    "if ((Get-AuthenticodeSignature $CloudWatchAgentMsi).Status -ne 'Valid') { throw 'the CloudWatch agent MSI has no valid signature' }",
    "$Install = Start-Process msiexec.exe -Wait -PassThru -ArgumentList '/i', $CloudWatchAgentMsi, '/qn'",
    'if ($Install.ExitCode -ne 0) { throw "msiexec exited with $($Install.ExitCode)" }',
    "@'",
    '{"logs":{"logs_collected":{"files":{"collect_list":[' + [
      file('C:\\ProgramData\\Amazon\\ECS\\log\\ecs-agent.log', 'ecs-agent'),
      file('C:\\ProgramData\\Amazon\\ECS\\log\\audit.log', 'ecs-audit'),
      file('C:\\ProgramData\\Amazon\\EC2Launch\\log\\agent.log', 'ec2launch'),
    ].join(',') + ']},"windows_events":{"collect_list":[' + [
      events('System', 'windows-system'),
      events('Application', 'windows-application'),
    ].join(',') + ']}}}}',
    `'@ | Set-Content -Encoding ascii -Path '${config}'`,
    `& 'C:\\Program Files\\Amazon\\AmazonCloudWatchAgent\\amazon-cloudwatch-agent-ctl.ps1' -a fetch-config -m ec2 -s -c 'file:${config}'`,
  ];
}
