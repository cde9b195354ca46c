import { CfnParameter, Duration } from 'aws-cdk-lib';
import * as ecs from 'aws-cdk-lib/aws-ecs';
import { AmiFamily, SidecarOptions, WebServiceOptions } from '../../src';
import { nagFindings } from '../util';
import { exactly, logicalId, onlyProperties, statementsOf, WebServiceFixture } from './web-service.fixtures';

const FLUENT_BIT = ecs.ContainerImage.fromRegistry('public.ecr.aws/aws-observability/aws-for-fluent-bit:stable');
const LOG_ROUTER: SidecarOptions = { name: 'log-router', image: FLUENT_BIT, memoryLimitMiB: 64 };
const PARAMETER_ARN = { 'Fn::Join': ['', ['arn:', { Ref: 'AWS::Partition' }, ':ssm:us-east-1:123456789012:parameter/prod/api/log-license']] };
const SSM_READ_ACTIONS = ['ssm:DescribeParameters', 'ssm:GetParameters', 'ssm:GetParameter', 'ssm:GetParameterHistory'];

describe('WebService containers', () => {
  let fixture: WebServiceFixture;
  beforeEach(() => {
    fixture = new WebServiceFixture();
  });

  function taskDefinition(): any {
    return onlyProperties(fixture.template(), 'AWS::ECS::TaskDefinition');
  }

  function windowsStrategy(): Partial<WebServiceOptions> {
    return { capacityStrategy: [{ capacity: fixture.cluster.addCapacity('Windows', { amiFamily: AmiFamily.WINDOWS_SERVER_2022_CORE }) }] };
  }

  describe('defaults', () => {
    test('runs the application container alone, as the image says: no volumes, user, command, health check or stop timeout', () => {
      fixture.addService();
      const properties = taskDefinition();
      expect(properties.Volumes).toBeUndefined();
      expect(properties.ContainerDefinitions).toHaveLength(1);
      const [app] = properties.ContainerDefinitions;
      for (const key of ['MountPoints', 'User', 'Command', 'HealthCheck', 'StopTimeout', 'LinuxParameters', 'Cpu']) {
        expect(app[key]).toBeUndefined();
      }
      expect(app.Memory).toBe(512);
    });
  });

  describe('configuration', () => {
    test('mounts the provided scratch volumes and keeps the root filesystem read-only', () => {
      fixture.addService({ scratchVolumes: [{ name: 'tmp', containerPath: '/tmp' }, { name: 'cache', containerPath: '/var/cache/app' }] });
      const properties = taskDefinition();
      expect(properties.Volumes).toEqual([{ Name: 'tmp' }, { Name: 'cache' }]);
      expect(properties.ContainerDefinitions[0]).toMatchObject({
        ReadonlyRootFilesystem: true,
        MountPoints: [
          { SourceVolume: 'tmp', ContainerPath: '/tmp', ReadOnly: false },
          { SourceVolume: 'cache', ContainerPath: '/var/cache/app', ReadOnly: false },
        ],
      });
    });

    test.each(['1000', '1000:1000', 'app', 'app:app', 'www-data:1001'])('runs as the provided user %j', (user) => {
      fixture.addService({ user });
      expect(taskDefinition().ContainerDefinitions[0].User).toBe(user);
    });

    test('uses the provided stopTimeout and command', () => {
      fixture.addService({ stopTimeout: Duration.seconds(90), command: ['node', 'server.js', '--port=8080'] });
      expect(taskDefinition().ContainerDefinitions[0]).toMatchObject({ StopTimeout: 90, Command: ['node', 'server.js', '--port=8080'] });
    });

    test('writes the health check defaults out: every 30 s, 5 s timeout, 3 retries, no start period', () => {
      fixture.addService({ healthCheck: { command: ['CMD-SHELL', 'curl -f http://localhost:8080/health || exit 1'] } });
      expect(taskDefinition().ContainerDefinitions[0].HealthCheck).toEqual({
        Command: ['CMD-SHELL', 'curl -f http://localhost:8080/health || exit 1'],
        Interval: 30,
        Timeout: 5,
        Retries: 3,
        StartPeriod: 0,
      });
    });

    test('gives a Windows container\'s health check the longest start period ECS allows, 300 s', () => {
      fixture.addService({ ...windowsStrategy(), healthCheck: { command: ['CMD', 'powershell', '-Command', 'exit 0'] } });
      expect(taskDefinition().ContainerDefinitions[0].HealthCheck).toMatchObject({ Interval: 30, Timeout: 5, Retries: 3, StartPeriod: 300 });
    });

    test('uses the provided start period on Windows', () => {
      fixture.addService({ ...windowsStrategy(), healthCheck: { command: ['CMD', 'powershell', '-Command', 'exit 0'], startPeriod: Duration.seconds(30) } });
      expect(taskDefinition().ContainerDefinitions[0].HealthCheck).toMatchObject({ StartPeriod: 30 });
    });

    test('uses the provided health check, running a command without prefix in the shell', () => {
      fixture.addService({
        healthCheck: {
          command: ['wget -qO- http://localhost:8080/health'],
          interval: Duration.seconds(10),
          timeout: Duration.seconds(2),
          retries: 5,
          startPeriod: Duration.seconds(60),
        },
      });
      expect(taskDefinition().ContainerDefinitions[0].HealthCheck).toEqual({
        Command: ['CMD-SHELL', 'wget -qO- http://localhost:8080/health'],
        Interval: 10,
        Timeout: 2,
        Retries: 5,
        StartPeriod: 60,
      });
    });

    test('adds an essential, read-only sidecar that logs to the service\'s log group, and gives the application the rest of the memory', () => {
      const service = fixture.addService({ sidecars: [LOG_ROUTER] });
      const [app, sidecar] = taskDefinition().ContainerDefinitions;
      expect(app).toMatchObject({ Name: 'app', Memory: 448, Essential: true });
      expect(sidecar).toEqual({
        Name: 'log-router',
        Image: 'public.ecr.aws/aws-observability/aws-for-fluent-bit:stable',
        Memory: 64,
        Essential: true,
        ReadonlyRootFilesystem: true,
        LogConfiguration: {
          LogDriver: 'awslogs',
          Options: {
            'awslogs-group': { Ref: logicalId(service.logGroup) },
            'awslogs-stream-prefix': 'Api',
            'awslogs-region': 'us-east-1',
            'mode': 'non-blocking',
          },
        },
      });
      expect(taskDefinition().Memory).toBe('512');
    });

    test('uses the provided sidecar settings and injects its secrets through the execution role', () => {
      const service = fixture.addService({
        sidecars: [{
          ...LOG_ROUTER,
          cpu: 64,
          essential: false,
          environment: { LOG_LEVEL: 'debug' },
          secrets: { LICENSE_KEY: '/prod/api/log-license' },
          command: ['/fluent-bit/bin/fluent-bit', '-c', '/fluent-bit/etc/fluent-bit.conf'],
          readonlyRootFilesystem: false,
        }],
      });
      const template = fixture.template();
      const [, sidecar] = onlyProperties(template, 'AWS::ECS::TaskDefinition').ContainerDefinitions;
      expect(sidecar).toMatchObject({
        Cpu: 64,
        Essential: false,
        Environment: [{ Name: 'LOG_LEVEL', Value: 'debug' }],
        Secrets: [{ Name: 'LICENSE_KEY', ValueFrom: PARAMETER_ARN }],
        Command: ['/fluent-bit/bin/fluent-bit', '-c', '/fluent-bit/etc/fluent-bit.conf'],
        ReadonlyRootFilesystem: false,
      });
      expect(statementsOf(template, service.executionRole)).toEqual(expect.arrayContaining([
        { Effect: 'Allow', Action: SSM_READ_ACTIONS, Resource: PARAMETER_ARN },
      ]));
    });

    test('reserves the CPU left by the sidecars for the application container on Windows', () => {
      const sidecar = { ...LOG_ROUTER, cpu: 256, readonlyRootFilesystem: false };
      fixture.addService({ ...windowsStrategy(), cpu: 1024, memoryLimitMiB: 2048, sidecars: [sidecar] });
      const [app, rendered] = taskDefinition().ContainerDefinitions;
      expect(app).toMatchObject({ Cpu: 768, Memory: 1984 });
      expect(rendered).toMatchObject({ Cpu: 256, Memory: 64, ReadonlyRootFilesystem: false });
    });

    test('gives a Windows sidecar a writable root filesystem by default', () => {
      fixture.addService({ ...windowsStrategy(), sidecars: [LOG_ROUTER] });
      expect(taskDefinition().ContainerDefinitions[1].ReadonlyRootFilesystem).toBe(false);
    });
  });

  describe('validation', () => {
    test.each([
      [{ name: 'has space', containerPath: '/tmp' }, '`scratchVolumes[0].name` must be 1 to 255 letters, digits, hyphens and underscores, got: "has space"'],
      [{ name: 'tmp', containerPath: 'tmp' }, '`scratchVolumes[0].containerPath` must be an absolute path below `/`, such as `/tmp`, got: "tmp"'],
      [{ name: 'tmp', containerPath: '/' }, '`scratchVolumes[0].containerPath` must be an absolute path below `/`, such as `/tmp`, got: "/"'],
      [{ name: 'tmp', containerPath: '/scratch/' }, '`scratchVolumes[0].containerPath` must be an absolute path below `/`, such as `/tmp`, got: "/scratch/"'],
      [{ name: 'tmp', containerPath: '/my dir' }, '`scratchVolumes[0].containerPath` must be an absolute path below `/`, such as `/tmp`, got: "/my dir"'],
    ])('fails when a scratch volume is %j', (volume, message) => {
      expect(() => fixture.addService({ scratchVolumes: [volume] })).toThrow(exactly(`[TestStack/Api] ${message}`));
    });

    test('fails when two scratch volumes share a name', () => {
      expect(() => fixture.addService({ scratchVolumes: [{ name: 'tmp', containerPath: '/tmp' }, { name: 'tmp', containerPath: '/cache' }] }))
        .toThrow(exactly('[TestStack/Api] `scratchVolumes[1].name` must be a name that no other scratch volume has, got: "tmp"'));
    });

    test('fails when two scratch volumes share a path', () => {
      expect(() => fixture.addService({ scratchVolumes: [{ name: 'a', containerPath: '/tmp' }, { name: 'b', containerPath: '/tmp' }] }))
        .toThrow(exactly('[TestStack/Api] `scratchVolumes[1].containerPath` must be a path that no other scratch volume has, got: "/tmp"'));
    });

    test('fails when a Windows workload has scratch volumes', () => {
      expect(() => fixture.addService({ ...windowsStrategy(), scratchVolumes: [{ name: 'tmp', containerPath: '/tmp' }] }))
        .toThrow(exactly('[TestStack/Api] `scratchVolumes` must be unset for a Windows workload (the root filesystem of a Windows container '
          + 'is writable), got: ["tmp"]'));
    });

    test.each(['root', '0', '0:0', 'root:root', '0:1000'])('fails when user is root (%j)', (user) => {
      expect(() => fixture.addService({ user }))
        .toThrow(exactly(`[TestStack/Api] \`user\` must be a user other than root (leave it unset to run as the image's user), got: ${JSON.stringify(user)}`));
    });

    test.each(['', 'has space', '1000:1000:1000', ':1000', '-app'])('fails when user is malformed (%j)', (user) => {
      expect(() => fixture.addService({ user }))
        .toThrow(exactly(`[TestStack/Api] \`user\` must be a user such as \`1000\`, \`1000:1000\`, \`app\` or \`app:app\`, got: ${JSON.stringify(user)}`));
    });

    test('fails when a Windows workload sets a user', () => {
      expect(() => fixture.addService({ ...windowsStrategy(), user: 'ContainerUser' }))
        .toThrow(exactly('[TestStack/Api] `user` must be unset for a Windows workload (ECS does not support it for Windows containers), '
          + 'got: "ContainerUser"'));
    });

    test.each([1, 121])('fails when stopTimeout is %s seconds', (seconds) => {
      expect(() => fixture.addService({ stopTimeout: Duration.seconds(seconds) }))
        .toThrow(exactly(`[TestStack/Api] \`stopTimeout\` must be an integer between 2 and 120, got: ${seconds}`));
    });

    test('fails when command is empty', () => {
      expect(() => fixture.addService({ command: [] }))
        .toThrow(exactly('[TestStack/Api] `command` must be at least one word, or unset for the image\'s command, got: []'));
    });

    test.each([[[]], [['CMD']], [['CMD-SHELL']]])('fails when the health check command is %j', (command) => {
      expect(() => fixture.addService({ healthCheck: { command } }))
        .toThrow(exactly('[TestStack/Api] `healthCheck.command` must be a command such as [\'CMD-SHELL\', \'curl -f http://localhost:8080/ || exit 1\'], '
          + `got: [${command.map((word) => JSON.stringify(word)).join(', ')}]`));
    });

    test.each([
      ['interval', { interval: Duration.seconds(4) }, 'an integer between 5 and 300, got: 4'],
      ['interval', { interval: Duration.seconds(301) }, 'an integer between 5 and 300, got: 301'],
      ['timeout', { timeout: Duration.seconds(1) }, 'an integer between 2 and 60, got: 1'],
      ['timeout', { timeout: Duration.seconds(61) }, 'an integer between 2 and 60, got: 61'],
      ['retries', { retries: 0 }, 'an integer between 1 and 10, got: 0'],
      ['retries', { retries: 11 }, 'an integer between 1 and 10, got: 11'],
      ['startPeriod', { startPeriod: Duration.seconds(301) }, 'an integer between 0 and 300, got: 301'],
    ])('fails when the health check %s is out of range (%j)', (name, values, rule) => {
      expect(() => fixture.addService({ healthCheck: { command: ['CMD', 'true'], ...values } }))
        .toThrow(exactly(`[TestStack/Api] \`healthCheck.${name}\` must be ${rule}`));
    });

    test.each([
      [{ ...LOG_ROUTER, name: 'app' }, '`sidecars[0].name` must be a name that no other container of the task has (`app` is the application\'s), got: "app"'],
      [{ ...LOG_ROUTER, name: 'log router' }, '`sidecars[0].name` must be 1 to 255 letters, digits, hyphens and underscores, got: "log router"'],
      [{ ...LOG_ROUTER, memoryLimitMiB: 5 }, '`sidecars[0].memoryLimitMiB` must be an integer between 6 and 512, got: 5'],
      [{ ...LOG_ROUTER, memoryLimitMiB: 513 }, '`sidecars[0].memoryLimitMiB` must be an integer between 6 and 512, got: 513'],
      [{ ...LOG_ROUTER, cpu: 257 }, '`sidecars[0].cpu` must be an integer between 0 and 256, got: 257'],
      [{ ...LOG_ROUTER, command: [] }, '`sidecars[0].command` must be at least one word, or unset for the image\'s command, got: []'],
      [{ ...LOG_ROUTER, environment: { LEVEL: 'x' }, secrets: { LEVEL: '/a' } },
        '`sidecars[0].secrets.LEVEL` must be a name that is not also in its `environment`, got: "LEVEL"'],
    ])('fails when a sidecar is invalid (%#)', (sidecar, message) => {
      expect(() => fixture.addService({ sidecars: [sidecar] })).toThrow(exactly(`[TestStack/Api] ${message}`));
    });

    test('fails when two sidecars share a name', () => {
      expect(() => fixture.addService({ sidecars: [LOG_ROUTER, LOG_ROUTER] }))
        .toThrow(exactly('[TestStack/Api] `sidecars[1].name` must be a name that no other container of the task has (`app` is the application\'s), '
          + 'got: "log-router"'));
    });

    test('fails when the sidecars leave less than 128 MiB to the application container', () => {
      expect(() => fixture.addService({ sidecars: [{ ...LOG_ROUTER, memoryLimitMiB: 300 }, { ...LOG_ROUTER, name: 'proxy', memoryLimitMiB: 100 }] }))
        .toThrow(exactly('[TestStack/Api] `sidecars` must be sidecars whose memory leaves at least 128 MiB of the task\'s 512 to the application '
          + 'container, got: "400 MiB"'));
    });

    test('fails when the sidecars leave less than 128 CPU units to the application container', () => {
      expect(() => fixture.addService({ sidecars: [{ ...LOG_ROUTER, cpu: 200 }] }))
        .toThrow(exactly('[TestStack/Api] `sidecars` must be sidecars whose CPU leaves at least 128 units of the task\'s 256 to the application '
          + 'container, got: "200 units"'));
    });

    test('fails when a sidecar\'s plain environment looks like a secret', () => {
      expect(() => fixture.addService({ sidecars: [{ ...LOG_ROUTER, environment: { SPLUNK_TOKEN: 'abc' } }] }))
        .toThrow(/^\[TestStack\/Api\] `sidecars\[0\]\.environment\.SPLUNK_TOKEN` looks like a secret/);
    });

    test('accepts a sidecar\'s secret-looking variable listed in allowPlainEnvironment', () => {
      fixture.addService({ allowPlainEnvironment: ['TOKEN_URL'], sidecars: [{ ...LOG_ROUTER, environment: { TOKEN_URL: 'https://x' } }] });
      expect(taskDefinition().ContainerDefinitions[1].Environment).toEqual([{ Name: 'TOKEN_URL', Value: 'https://x' }]);
    });

    test('fails when a Windows sidecar asks for a read-only root filesystem', () => {
      expect(() => fixture.addService({ ...windowsStrategy(), sidecars: [{ ...LOG_ROUTER, readonlyRootFilesystem: true }] }))
        .toThrow(exactly('[TestStack/Api] `sidecars[0].readonlyRootFilesystem` must be false for a Windows workload (Windows containers have no '
          + 'read-only root filesystem), got: true'));
    });
  });

  describe('bad input, round two', () => {
    test.each(['00', '000:1000', '00:00'])('fails when user is root spelled %j', (user) => {
      expect(() => fixture.addService({ user }))
        .toThrow(exactly(`[TestStack/Api] \`user\` must be a user other than root (leave it unset to run as the image's user), got: ${JSON.stringify(user)}`));
    });

    test.each(['1000:0', 'app:root', '1000:00'])('warns when user %j runs in the root group', (user) => {
      fixture.addService({ user });
      const name = user.split(':')[0];
      expect(fixture.warnings()).toEqual([`/TestStack/Api: \`user\` "${user}" runs in the root group, which can read and write whatever the image `
        + `leaves to group 0: give it a group of its own, such as "${name}:${name}"`]);
    });

    test.each([[['']], [[' ', 'serve']]])('fails when command is %j', (command) => {
      expect(() => fixture.addService({ command }))
        .toThrow(exactly(`[TestStack/Api] \`command\` must be a command whose first word names the executable, got: [${command.map((word) => JSON.stringify(word)).join(', ')}]`));
    });

    test('fails when a sidecar\'s command starts with an empty word', () => {
      expect(() => fixture.addService({ sidecars: [{ ...LOG_ROUTER, command: [''] }] }))
        .toThrow(exactly('[TestStack/Api] `sidecars[0].command` must be a command whose first word names the executable, got: [""]'));
    });

    test.each(['/proc', '/sys', '/dev', '/proc/sys', '/dev/shm', '/sys/fs/cgroup'])('fails when a scratch volume is mounted at %j', (containerPath) => {
      expect(() => fixture.addService({ scratchVolumes: [{ name: 'v', containerPath }] }))
        .toThrow(exactly('[TestStack/Api] `scratchVolumes[0].containerPath` must be a path outside `/proc`, `/sys`, `/dev` (the container '
          + `runtime mounts ${containerPath.split('/').slice(0, 2).join('/')} itself), got: ${JSON.stringify(containerPath)}`));
    });

    test.each(['/devices', '/process', '/var/dev'])('accepts a scratch volume at %j', (containerPath) => {
      fixture.addService({ scratchVolumes: [{ name: 'v', containerPath }] });
      expect(taskDefinition().ContainerDefinitions[0].MountPoints).toEqual([{ SourceVolume: 'v', ContainerPath: containerPath, ReadOnly: false }]);
    });

    test.each(['', 'MY VAR', 'A=B', 'TAB\tNAME'])('fails when an environment variable is named %j', (name) => {
      expect(() => fixture.addService({ environment: { [name]: 'x' } }))
        .toThrow(exactly('[TestStack/Api] `environment` must be keyed by environment variable names (no spaces, `=` or control characters, '
          + `such as \`LOG_LEVEL\`), got: ${JSON.stringify(name)}`));
    });

    test('fails when a sidecar\'s environment variable is named "MY VAR"', () => {
      expect(() => fixture.addService({ sidecars: [{ ...LOG_ROUTER, environment: { 'MY VAR': 'x' } }] }))
        .toThrow(/^\[TestStack\/Api\] `sidecars\[0\]\.environment` must be keyed by environment variable names/);
    });

    test.each(['nginx', 'nginx:latest', 'public.ecr.aws/nginx/nginx', 'localhost:5000/app', 'localhost:5000/app:latest'])(
      'fails when the image from a registry is %j (no tag or latest)', (name) => {
        expect(() => fixture.addService({ image: ecs.ContainerImage.fromRegistry(name) }))
          .toThrow(exactly('[TestStack/Api] `image` must be an image with a version tag or a digest, such as `public.ecr.aws/nginx/nginx:1.27` '
            + `(without one, or with \`latest\`, each task runs whatever the tag points to when it starts), got: ${JSON.stringify(name)}`));
      });

    test('fails when a sidecar\'s image has no tag', () => {
      expect(() => fixture.addService({ sidecars: [{ ...LOG_ROUTER, image: ecs.ContainerImage.fromRegistry('fluent/fluent-bit') }] }))
        .toThrow(/^\[TestStack\/Api\] `sidecars\[0\]\.image` must be an image with a version tag or a digest/);
    });

    test.each(['nginx@sha256:0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef', 'localhost:5000/app:1.2'])(
      'accepts the image %j', (name) => {
        fixture.addService({ image: ecs.ContainerImage.fromRegistry(name) });
        expect(taskDefinition().ContainerDefinitions[0].Image).toBe(name);
      });

    test('fails when the health check timeout is longer than its interval, before aws-cdk-lib does', () => {
      expect(() => fixture.addService({ healthCheck: { command: ['CMD', 'true'], interval: Duration.seconds(10), timeout: Duration.seconds(20) } }))
        .toThrow(exactly('[TestStack/Api] `healthCheck.timeout` must be at most `healthCheck.interval` (10 seconds): a check must end before the '
          + 'next one starts, got: "20 seconds"'));
    });

    test('fails when the health check timeout is longer than the default interval of 30 seconds', () => {
      expect(() => fixture.addService({ healthCheck: { command: ['CMD', 'true'], timeout: Duration.seconds(40) } }))
        .toThrow(/`healthCheck.timeout` must be at most `healthCheck.interval` \(30 seconds\)/);
    });

    test('accepts cpu as a number token (a CfnParameter) and passes it through', () => {
      const cpu = new CfnParameter(fixture.stack, 'Cpu', { type: 'Number' }).valueAsNumber;
      fixture.addService({ cpu });
      expect(taskDefinition().Cpu).toEqual({ Ref: 'Cpu' });
    });
  });

  describe('cdk-nag', () => {
    test('has no AwsSolutions findings with volumes, a user, a health check and a sidecar with plain environment', () => {
      const service = fixture.addService({
        scratchVolumes: [{ name: 'tmp', containerPath: '/tmp' }],
        user: '1000:1000',
        healthCheck: { command: ['CMD', '/bin/healthcheck'] },
        sidecars: [{ ...LOG_ROUTER, environment: { LOG_LEVEL: 'info' } }],
      });
      expect(nagFindings(service)).toEqual([]);
    });
  });
});
