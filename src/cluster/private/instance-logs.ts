import { Stack } from 'aws-cdk-lib';
import { IConstruct } from 'constructs';
import { UserDataFormat } from './container-instance-user-data';

/**
 * How a family's container instances ship their own logs: the CloudWatch agent installed from the Amazon Linux 2023
 * repository, or from AWS's MSI on Windows. Bottlerocket runs no CloudWatch agent on the host.
 */
export type InstanceLogShipping = 'linux' | 'windows';

/** The log shipping of a user data format, if the family has one. */
export function instanceLogShipping(format: UserDataFormat): InstanceLogShipping | undefined {
  switch (format) {
    case 'shell': return 'linux';
    case 'powershell': return 'windows';
    case 'toml': return undefined;
  }
}

/** A file the CloudWatch agent ships, to the stream `{instance_id}/<stream>`. */
interface LogFile {
  readonly path: string;
  readonly stream: string;
}

/**
 * The files shipped from Amazon Linux 2023. AL2023 logs to the journal, which the CloudWatch agent cannot read, so
 * rsyslog is installed to write it to `/var/log/messages` (docker, containerd, the kernel and systemd units).
 */
export const LINUX_LOG_FILES: readonly LogFile[] = [
  { path: '/var/log/ecs/ecs-agent.log', stream: 'ecs-agent' },
  { path: '/var/log/ecs/ecs-init.log', stream: 'ecs-init' },
  { path: '/var/log/ecs/audit.log', stream: 'ecs-audit' },
  { path: '/var/log/messages', stream: 'messages' },
  { path: '/var/log/cloud-init-output.log', stream: 'cloud-init-output' },
];

/** The files shipped from the ECS-optimized Windows Server AMI (EC2Launch v2 logs its user data run to agent.log). */
export const WINDOWS_LOG_FILES: readonly LogFile[] = [
  { path: 'C:\\ProgramData\\Amazon\\ECS\\log\\ecs-agent.log', stream: 'ecs-agent' },
  { path: 'C:\\ProgramData\\Amazon\\ECS\\log\\audit.log', stream: 'ecs-audit' },
  { path: 'C:\\ProgramData\\Amazon\\EC2Launch\\log\\agent.log', stream: 'ec2launch' },
];

/** The Windows event logs shipped (Docker writes to Application), at these levels. */
export const WINDOWS_EVENT_LOGS: readonly LogFile[] = [
  { path: 'System', stream: 'windows-system' },
  { path: 'Application', stream: 'windows-application' },
];
const WINDOWS_EVENT_LEVELS = ['CRITICAL', 'ERROR', 'WARNING'];

const LINUX_AGENT_CONFIG = '/opt/aws/amazon-cloudwatch-agent/etc/amazon-cloudwatch-agent.json';
const WINDOWS_AGENT_CONFIG = 'C:\\ProgramData\\Amazon\\AmazonCloudWatchAgent\\amazon-cloudwatch-agent.json';
const WINDOWS_AGENT_CTL = 'C:\\Program Files\\Amazon\\AmazonCloudWatchAgent\\amazon-cloudwatch-agent-ctl.ps1';

/**
 * The CloudWatch agent configuration (logs only: no metrics, no retention calls) that ships the family's files,
 * one stream per instance and file, to `logGroupName`.
 */
export function cloudWatchAgentConfig(shipping: InstanceLogShipping, logGroupName: string): Record<string, unknown> {
  const entry = (file: LogFile) => ({
    file_path: file.path,
    log_group_name: logGroupName,
    log_stream_name: `{instance_id}/${file.stream}`,
  });
  if (shipping === 'linux') {
    return { logs: { logs_collected: { files: { collect_list: LINUX_LOG_FILES.map(entry) } } } };
  }
  return {
    logs: {
      logs_collected: {
        files: { collect_list: WINDOWS_LOG_FILES.map(entry) },
        windows_events: {
          collect_list: WINDOWS_EVENT_LOGS.map((log) => ({
            event_levels: WINDOWS_EVENT_LEVELS,
            event_name: log.path,
            log_group_name: logGroupName,
            log_stream_name: `{instance_id}/${log.stream}`,
          })),
        },
      },
    },
  };
}

/**
 * The Amazon Linux 2023 user data that installs rsyslog (so the journal reaches `/var/log/messages`) and the
 * CloudWatch agent from the AL2023 repository, writes the agent's configuration and starts it. A failure here (no
 * route to the repository) stops the user data and keeps the instance out of the cluster, like any failed step.
 */
export function renderLinuxInstanceLogs(logGroupName: string): string[] {
  return [
    'dnf install -y amazon-cloudwatch-agent rsyslog',
    'systemctl enable --now rsyslog',
    `cat <<'EOF' > ${LINUX_AGENT_CONFIG}`,
    sortedJson(cloudWatchAgentConfig('linux', logGroupName)),
    'EOF',
    `/opt/aws/amazon-cloudwatch-agent/bin/amazon-cloudwatch-agent-ctl -a fetch-config -m ec2 -s -c file:${LINUX_AGENT_CONFIG}`,
  ];
}

/**
 * The Windows user data that downloads the CloudWatch agent's MSI from AWS's bucket in the instance's region
 * (`msiUrl`), installs it when its Authenticode signature is valid (else fails), writes the agent's configuration and
 * starts it. It runs before `Initialize-ECSAgent`, so that an instance whose log shipping failed never joins.
 */
export function renderWindowsInstanceLogs(logGroupName: string, msiUrl: string): string[] {
  return [
    '[Net.ServicePointManager]::SecurityProtocol = [Net.SecurityProtocolType]::Tls12',
    "$ProgressPreference = 'SilentlyContinue'",
    "$CloudWatchAgentMsi = Join-Path $env:TEMP 'amazon-cloudwatch-agent.msi'",
    `Invoke-WebRequest -UseBasicParsing -Uri '${msiUrl}' -OutFile $CloudWatchAgentMsi`,
    "if ((Get-AuthenticodeSignature $CloudWatchAgentMsi).Status -ne 'Valid') { throw 'the CloudWatch agent MSI has no valid signature' }",
    "$Install = Start-Process msiexec.exe -Wait -PassThru -ArgumentList '/i', $CloudWatchAgentMsi, '/qn'",
    'if ($Install.ExitCode -ne 0) { throw "msiexec exited with $($Install.ExitCode)" }',
    "@'",
    sortedJson(cloudWatchAgentConfig('windows', logGroupName)),
    `'@ | Set-Content -Encoding ascii -Path '${WINDOWS_AGENT_CONFIG}'`,
    `& '${WINDOWS_AGENT_CTL}' -a fetch-config -m ec2 -s -c 'file:${WINDOWS_AGENT_CONFIG}'`,
  ];
}

/** The URL of the CloudWatch agent's Windows MSI in AWS's bucket of the stack's region. */
export function windowsAgentMsiUrl(scope: IConstruct): string {
  const stack = Stack.of(scope);
  return `https://amazoncloudwatch-agent-${stack.region}.s3.${stack.region}.${stack.urlSuffix}/windows/amd64/latest/amazon-cloudwatch-agent.msi`;
}

/** JSON with the keys of every object sorted, so the same configuration gives the same bytes. */
export function sortedJson(value: unknown): string {
  return JSON.stringify(sortKeys(value));
}

function sortKeys(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(sortKeys);
  if (value !== null && typeof value === 'object') {
    const record = value as Record<string, unknown>;
    return Object.fromEntries(Object.keys(record).sort().map((key) => [key, sortKeys(record[key])]));
  }
  return value;
}
