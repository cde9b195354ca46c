import {
  cloudWatchAgentConfig, instanceLogShipping, LINUX_LOG_FILES,
  renderLinuxInstanceLogs, renderWindowsInstanceLogs, sortedJson, WINDOWS_EVENT_LOGS, WINDOWS_LOG_FILES, windowsAgentMsiUrl,
} from '../../../src/cluster/private/instance-logs';
import { testStack } from '../../util';

describe('instance logs', () => {
  describe('instanceLogShipping', () => {
    test.each([
      ['shell', 'linux'],
      ['powershell', 'windows'],
      ['toml', undefined],
    ] as const)('ships %s user data families with %s', (format, shipping) => {
      expect(instanceLogShipping(format)).toEqual(shipping);
    });
  });

  describe('sortedJson', () => {
    test('sorts the keys of every object and keeps the order of arrays', () => {
      expect(sortedJson({ b: 1, a: { d: [{ z: 1, y: 2 }, 'x'], c: null } })).toEqual('{"a":{"c":null,"d":[{"y":2,"z":1},"x"]},"b":1}');
    });

    test('gives the same bytes whatever the order the keys were written in', () => {
      expect(sortedJson({ x: 1, y: { b: 2, a: 1 } })).toEqual(sortedJson({ y: { a: 1, b: 2 }, x: 1 }));
    });
  });

  describe('cloudWatchAgentConfig', () => {
    test('ships each Linux file to its own stream per instance, in a fixed order', () => {
      expect(cloudWatchAgentConfig('linux', 'group')).toEqual({
        logs: {
          logs_collected: {
            files: {
              collect_list: LINUX_LOG_FILES.map((file) => ({
                file_path: file.path, log_group_name: 'group', log_stream_name: `{instance_id}/${file.stream}`,
              })),
            },
          },
        },
      });
      expect(LINUX_LOG_FILES.map((file) => file.path)).toEqual([
        '/var/log/ecs/ecs-agent.log', '/var/log/ecs/ecs-init.log', '/var/log/ecs/audit.log', '/var/log/messages', '/var/log/cloud-init-output.log',
      ]);
    });

    test('ships the Windows files and the System and Application event logs at warning level and above', () => {
      const config = cloudWatchAgentConfig('windows', 'group') as any;
      expect(config.logs.logs_collected.files.collect_list.map((entry: any) => entry.file_path)).toEqual(WINDOWS_LOG_FILES.map((file) => file.path));
      expect(config.logs.logs_collected.windows_events.collect_list).toEqual(WINDOWS_EVENT_LOGS.map((log) => ({
        event_levels: ['CRITICAL', 'ERROR', 'WARNING'],
        event_name: log.path,
        log_group_name: 'group',
        log_stream_name: `{instance_id}/${log.stream}`,
      })));
    });

    test('names no stream twice', () => {
      const streams = [...LINUX_LOG_FILES, ...WINDOWS_LOG_FILES, ...WINDOWS_EVENT_LOGS].map((file) => file.stream);
      expect(new Set(LINUX_LOG_FILES.map((file) => file.stream)).size).toEqual(LINUX_LOG_FILES.length);
      expect(new Set([...WINDOWS_LOG_FILES, ...WINDOWS_EVENT_LOGS].map((file) => file.stream)).size)
        .toEqual(WINDOWS_LOG_FILES.length + WINDOWS_EVENT_LOGS.length);
      expect(streams.every((stream) => /^[a-z0-9-]+$/.test(stream))).toBe(true);
    });

    test('asks the agent for no retention change and no metrics (the instance role may not)', () => {
      for (const shipping of ['linux', 'windows'] as const) {
        const json = sortedJson(cloudWatchAgentConfig(shipping, 'group'));
        expect(json).not.toMatch(/retention_in_days|metrics/);
      }
    });
  });

  describe('renderLinuxInstanceLogs', () => {
    test('installs, configures and starts the CloudWatch agent', () => {
      const lines = renderLinuxInstanceLogs('group');
      expect(lines).toEqual([
        'dnf install -y amazon-cloudwatch-agent rsyslog',
        'systemctl enable --now rsyslog',
        "cat <<'EOF' > /opt/aws/amazon-cloudwatch-agent/etc/amazon-cloudwatch-agent.json",
        sortedJson(cloudWatchAgentConfig('linux', 'group')),
        'EOF',
        '/opt/aws/amazon-cloudwatch-agent/bin/amazon-cloudwatch-agent-ctl -a fetch-config -m ec2 -s -c file:/opt/aws/amazon-cloudwatch-agent/etc/amazon-cloudwatch-agent.json',
      ]);
    });
  });

  describe('renderWindowsInstanceLogs', () => {
    test('writes the configuration in a single-quoted here-string that PowerShell expands nothing in', () => {
      const lines = renderWindowsInstanceLogs('group', 'https://example.com/agent.msi');
      const start = lines.indexOf("@'");
      expect(lines[start + 1]).toEqual(sortedJson(cloudWatchAgentConfig('windows', 'group')));
      expect(lines[start + 2]).toMatch(/^'@ \| Set-Content -Encoding ascii -Path /);
    });

    test('fails the user data when the MSI has no valid signature or does not install', () => {
      const lines = renderWindowsInstanceLogs('group', 'https://example.com/agent.msi');
      expect(lines).toContain("if ((Get-AuthenticodeSignature $CloudWatchAgentMsi).Status -ne 'Valid') { throw 'the CloudWatch agent MSI has no valid signature' }");
      expect(lines).toContain('if ($Install.ExitCode -ne 0) { throw "msiexec exited with $($Install.ExitCode)" }');
    });

    test('installs the MSI only when its signature is valid, then starts the agent', () => {
      const lines = renderWindowsInstanceLogs('group', 'https://example.com/agent.msi');
      expect(lines).toContain("Invoke-WebRequest -UseBasicParsing -Uri 'https://example.com/agent.msi' -OutFile $CloudWatchAgentMsi");
      expect(lines.findIndex((line) => line.includes('Get-AuthenticodeSignature'))).toBeLessThan(lines.findIndex((line) => line.includes('fetch-config')));
      expect(lines[lines.length - 1]).toMatch(/^& 'C:\\Program Files\\Amazon\\AmazonCloudWatchAgent\\amazon-cloudwatch-agent-ctl\.ps1' -a fetch-config -m ec2 -s /);
    });
  });

  describe('windowsAgentMsiUrl', () => {
    test('names the bucket of the stack region', () => {
      const stack = testStack();
      expect(stack.resolve(windowsAgentMsiUrl(stack))).toEqual({
        'Fn::Join': ['', [
          'https://amazoncloudwatch-agent-us-east-1.s3.us-east-1.',
          { Ref: 'AWS::URLSuffix' },
          '/windows/amd64/latest/amazon-cloudwatch-agent.msi',
        ]],
      });
    });
  });
});
