import { Stack } from 'aws-cdk-lib';
import * as ec2 from 'aws-cdk-lib/aws-ec2';
import * as s3 from 'aws-cdk-lib/aws-s3';
import {
  ContainerInstanceUserData, POWERSHELL_EPILOGUE, POWERSHELL_PROLOGUE, SHELL_PROLOGUE, UserDataFormat,
} from '../../../src/cluster/private/container-instance-user-data';
import { testStack } from '../../util';

const SHELL = SHELL_PROLOGUE.join('\n');
const PS_OPEN = ['<powershell>', ...POWERSHELL_PROLOGUE];
const PS_CLOSE = [...POWERSHELL_EPILOGUE, '</powershell>'];

describe('ContainerInstanceUserData', () => {
  describe('defaults', () => {
    test('is an ec2.UserData, so launch templates and machine images accept it', () => {
      expect(new ContainerInstanceUserData('shell')).toBeInstanceOf(ec2.UserData);
    });

    test.each<[UserDataFormat, string]>([
      ['shell', SHELL],
      ['toml', ''],
      ['powershell', [...PS_OPEN, ...PS_CLOSE].join('\n')],
    ])('renders only the %s frame when nothing is set', (format, rendered) => {
      expect(new ContainerInstanceUserData(format).render()).toEqual(rendered);
    });
  });

  describe('failure', () => {
    test('stops shell user data at the first failed command and masks the ECS agent so the instance stays out of the cluster', () => {
      const script = new ContainerInstanceUserData('shell').render().split('\n');
      expect(script.slice(0, 2)).toEqual(['#!/bin/bash', 'set -euo pipefail']);
      expect(script[2]).toMatch(/^trap '.*line \$LINENO: \$BASH_COMMAND.*systemctl mask --now ecs\.service' ERR$/);
    });

    test('runs powershell user data with terminating errors and disables the ECS agent when it fails', () => {
      const script = new ContainerInstanceUserData('powershell').render();
      expect(script.startsWith("<powershell>\n$ErrorActionPreference = 'Stop'\ntry {\n")).toBe(true);
      expect(script).toContain('} catch {\n  Set-Service -Name AmazonECS -StartupType Disabled');
      expect(script.endsWith('  exit 1\n}\n</powershell>')).toBe(true);
    });

    test('renders the commands that start the agent after every other command', () => {
      const userData = new ContainerInstanceUserData('powershell');
      userData.setAgentConfiguration(['agent'], ['Initialize-ECSAgent']);
      userData.setLogShipping(['ship']);
      userData.addCommands('user');
      expect(userData.render()).toEqual([...PS_OPEN, 'agent', 'ship', 'user', 'Initialize-ECSAgent', ...PS_CLOSE].join('\n'));
    });
  });

  describe('configuration', () => {
    test.each<[UserDataFormat, string[]]>([
      ['shell', [...SHELL_PROLOGUE, 'agent 1', 'agent 2', 'user 1']],
      ['toml', ['agent 1', 'agent 2', 'user 1']],
      ['powershell', [...PS_OPEN, 'agent 1', 'agent 2', 'user 1', ...PS_CLOSE]],
    ])('renders the %s format: the agent configuration, then the other commands', (format, lines) => {
      const userData = new ContainerInstanceUserData(format);
      userData.setAgentConfiguration(['agent 1', 'agent 2']);
      userData.addCommands('user 1');
      expect(userData.render()).toEqual(lines.join('\n'));
    });

    test('starts shell user data with #!/bin/bash', () => {
      const userData = new ContainerInstanceUserData('shell');
      userData.setAgentConfiguration(['echo agent']);
      expect(userData.render().startsWith('#!/bin/bash\n')).toBe(true);
    });

    test('renders toml user data raw, so Bottlerocket reads it as TOML', () => {
      const userData = new ContainerInstanceUserData('toml');
      userData.setAgentConfiguration(['[settings.ecs]\ncluster = "c"']);
      expect(userData.render()).toEqual('[settings.ecs]\ncluster = "c"');
    });

    test('wraps powershell user data in <powershell> tags', () => {
      const userData = new ContainerInstanceUserData('powershell');
      userData.setAgentConfiguration(['Import-Module ECSTools']);
      expect(userData.render()).toEqual([...PS_OPEN, 'Import-Module ECSTools', ...PS_CLOSE].join('\n'));
    });

    test('renders the agent configuration before commands added earlier', () => {
      const userData = new ContainerInstanceUserData('shell');
      userData.addCommands('echo before');
      userData.setAgentConfiguration(['echo agent']);
      expect(userData.render()).toEqual(SHELL + '\necho agent\necho before');
    });

    test('appends commands added after the agent configuration, in order', () => {
      const userData = new ContainerInstanceUserData('shell');
      userData.setAgentConfiguration(['echo agent']);
      userData.addCommands('echo one', 'echo two');
      userData.addCommands('echo three');
      expect(userData.render()).toEqual(SHELL + '\necho agent\necho one\necho two\necho three');
    });

    test('replaces the agent configuration when it is set again', () => {
      const userData = new ContainerInstanceUserData('shell');
      userData.setAgentConfiguration(['echo old 1', 'echo old 2']);
      userData.addCommands('echo user');
      userData.setAgentConfiguration(['echo new']);
      expect(userData.render()).toEqual(SHELL + '\necho new\necho user');
    });

    test('keeps its own copy of the agent configuration lines', () => {
      const userData = new ContainerInstanceUserData('shell');
      const lines = ['echo agent'];
      userData.setAgentConfiguration(lines);
      lines.push('echo later');
      expect(userData.render()).toEqual(SHELL + '\necho agent');
    });

    test('drops the commands added inside ignoringCommands', () => {
      const userData = new ContainerInstanceUserData('shell');
      userData.setAgentConfiguration(['echo agent']);
      userData.ignoringCommands(() => userData.addCommands('echo ECS_CLUSTER=default >> /etc/ecs/ecs.config'));
      expect(userData.render()).toEqual(SHELL + '\necho agent');
    });

    test('drops the commands that aws-cdk-lib adds through the ec2.UserData interface inside ignoringCommands', () => {
      const userData = new ContainerInstanceUserData('powershell');
      const asUserData: ec2.UserData = userData;
      userData.ignoringCommands(() => asUserData.addCommands('Initialize-ECSAgent -Cluster default'));
      expect(userData.render()).toEqual([...PS_OPEN, ...PS_CLOSE].join('\n'));
    });

    test('keeps the commands added before and after ignoringCommands', () => {
      const userData = new ContainerInstanceUserData('shell');
      userData.addCommands('echo before');
      userData.ignoringCommands(() => userData.addCommands('echo ignored'));
      userData.addCommands('echo after');
      expect(userData.render()).toEqual(SHELL + '\necho before\necho after');
    });

    test('stops ignoring commands when the function throws, and rethrows its error', () => {
      const userData = new ContainerInstanceUserData('shell');
      expect(() => userData.ignoringCommands(() => {
        userData.addCommands('echo ignored');
        throw new Error('boom');
      })).toThrow(/^boom$/);
      userData.addCommands('echo after');
      expect(userData.render()).toEqual(SHELL + '\necho after');
    });

    test.each<[UserDataFormat, string[]]>([
      ['shell', [...SHELL_PROLOGUE, 'agent', 'ship 1', 'ship 2', 'user']],
      ['toml', ['agent', 'ship 1', 'ship 2', 'user']],
      ['powershell', [...PS_OPEN, 'agent', 'ship 1', 'ship 2', 'user', ...PS_CLOSE]],
    ])('renders the %s log shipping after the agent configuration and before the other commands', (format, lines) => {
      const userData = new ContainerInstanceUserData(format);
      userData.addCommands('user');
      userData.setLogShipping(['ship 1', 'ship 2']);
      userData.setAgentConfiguration(['agent']);
      expect(userData.render()).toEqual(lines.join('\n'));
    });

    test('replaces the log shipping when it is set again, and keeps its own copy', () => {
      const userData = new ContainerInstanceUserData('shell');
      const lines = ['echo old'];
      userData.setLogShipping(lines);
      lines.push('echo later');
      expect(userData.render()).toEqual(SHELL + '\necho old');
      userData.setLogShipping(['echo new']);
      expect(userData.render()).toEqual(SHELL + '\necho new');
    });

    test('keeps the agent configuration set inside ignoringCommands', () => {
      const userData = new ContainerInstanceUserData('toml');
      userData.ignoringCommands(() => userData.setAgentConfiguration(['[settings.ecs]']));
      expect(userData.render()).toEqual('[settings.ecs]');
    });
  });

  describe('validation', () => {
    let stack: Stack;
    let userData: ec2.UserData;
    beforeEach(() => {
      stack = testStack();
      userData = new ContainerInstanceUserData('shell');
    });

    test('fails for addOnExitCommands, pointing to addCommands', () => {
      expect(() => userData.addOnExitCommands('echo bye'))
        .toThrow(/^container instance user data has no on-exit commands; add commands with addCommands\(\)$/);
    });

    test('fails for addExecuteFileCommand, pointing to addCommands', () => {
      expect(() => userData.addExecuteFileCommand({ filePath: '/opt/script.sh' }))
        .toThrow(/^container instance user data cannot execute files; add commands with addCommands\(\)$/);
    });

    test('fails for addS3DownloadCommand, pointing to agentSettings.configFile', () => {
      const bucket = s3.Bucket.fromBucketName(stack, 'Bucket', 'my-bucket');
      expect(() => userData.addS3DownloadCommand({ bucket, bucketKey: 'ecs.config' }))
        .toThrow(/^container instance user data cannot download from S3; use `agentSettings\.configFile` for agent settings$/);
    });

    test('fails for addSignalOnExitCommand', () => {
      const resource = new s3.Bucket(stack, 'Bucket');
      expect(() => userData.addSignalOnExitCommand(resource))
        .toThrow(/^container instance user data sends no CloudFormation signals$/);
    });

    test('adds nothing when an unsupported method fails', () => {
      expect(() => userData.addOnExitCommands('echo bye')).toThrow();
      expect(userData.render()).toEqual(SHELL);
    });
  });
});
