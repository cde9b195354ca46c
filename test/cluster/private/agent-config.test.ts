import { Duration, Lazy, Stack } from 'aws-cdk-lib';
import { AgentLogLevel, ContainerAgentSettings, ImagePullBehavior } from '../../../src/cluster/container-agent-settings';
import {
  AgentVariables,
  agentVariables,
  goDuration,
  renderBottlerocketSettings,
  renderLinuxAgentConfig,
  renderWindowsAgentConfig,
} from '../../../src/cluster/private/agent-config';
import { testStack } from '../../util';

/** `count` entries `<prefix>0`, `<prefix>1`, ... with the value `value`. */
function entries(count: number, prefix: string, value = 'v'): Record<string, string> {
  return Object.fromEntries(Array.from({ length: count }, (_, index) => [`${prefix}${index}`, value]));
}

/** The same record with its keys inserted in reverse order. */
function reversed(record: Record<string, string>): Record<string, string> {
  return Object.fromEntries(Object.entries(record).reverse());
}

/** Escapes a string for use inside a RegExp. */
function literal(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}

describe('agentVariables', () => {
  let stack: Stack;
  beforeEach(() => {
    stack = testStack();
  });
  const variablesOf = (settings: ContainerAgentSettings, usesSpot = false) =>
    agentVariables(stack, 'agentSettings', settings, usesSpot).variables;

  describe('defaults', () => {
    test('disables privileged containers and blocks the instance metadata service for awsvpc tasks, and sets nothing else', () => {
      expect(agentVariables(stack, 'agentSettings', {}, false)).toEqual({
        variables: { ECS_DISABLE_PRIVILEGED: 'true', ECS_AWSVPC_BLOCK_IMDS: 'true' },
        instanceAttributes: {},
      });
    });

    test.each<[string, boolean, boolean | undefined, string | undefined]>([
      ['on-demand capacity, draining unset', false, undefined, undefined],
      ['Spot capacity, draining unset', true, undefined, 'true'],
      ['on-demand capacity, draining explicitly on', false, true, 'true'],
      ['Spot capacity, draining explicitly on', true, true, 'true'],
      ['Spot capacity, draining explicitly off', true, false, undefined],
      ['on-demand capacity, draining explicitly off', false, false, undefined],
    ])('sets ECS_ENABLE_SPOT_INSTANCE_DRAINING as expected for %s', (_, usesSpot, spotInstanceDraining, expected) => {
      expect(variablesOf({ spotInstanceDraining }, usesSpot).ECS_ENABLE_SPOT_INSTANCE_DRAINING).toEqual(expected);
    });

    test('keeps the security defaults when other options are set', () => {
      const variables = variablesOf({ logLevel: AgentLogLevel.WARN, reservedMemoryMiB: 128 });
      expect(variables.ECS_DISABLE_PRIVILEGED).toEqual('true');
      expect(variables.ECS_AWSVPC_BLOCK_IMDS).toEqual('true');
    });
  });

  describe('configuration', () => {
    test.each<[string, ContainerAgentSettings, string, string]>([
      ['taskCleanupWait', { taskCleanupWait: Duration.minutes(90) }, 'ECS_ENGINE_TASK_CLEANUP_WAIT_DURATION', '90m'],
      ['imageCleanupInterval', { imageCleanupInterval: Duration.hours(3) }, 'ECS_IMAGE_CLEANUP_INTERVAL', '3h'],
      ['imageMinimumCleanupAge', { imageMinimumCleanupAge: Duration.seconds(45) }, 'ECS_IMAGE_MINIMUM_CLEANUP_AGE', '45s'],
      ['containerStopTimeout', { containerStopTimeout: Duration.seconds(120) }, 'ECS_CONTAINER_STOP_TIMEOUT', '2m'],
      ['imagesDeletedPerCycle', { imagesDeletedPerCycle: 10 }, 'ECS_NUM_IMAGES_DELETE_PER_CYCLE', '10'],
      ['disableImageCleanup (true)', { disableImageCleanup: true }, 'ECS_DISABLE_IMAGE_CLEANUP', 'true'],
      ['disableImageCleanup (false)', { disableImageCleanup: false }, 'ECS_DISABLE_IMAGE_CLEANUP', 'false'],
      ['imagePullBehavior', { imagePullBehavior: ImagePullBehavior.PREFER_CACHED }, 'ECS_IMAGE_PULL_BEHAVIOR', 'prefer-cached'],
      ['allowPrivilegedContainers (true)', { allowPrivilegedContainers: true }, 'ECS_DISABLE_PRIVILEGED', 'false'],
      ['allowPrivilegedContainers (false)', { allowPrivilegedContainers: false }, 'ECS_DISABLE_PRIVILEGED', 'true'],
      ['awsvpcBlockImds (false)', { awsvpcBlockImds: false }, 'ECS_AWSVPC_BLOCK_IMDS', 'false'],
      ['awsvpcBlockImds (true)', { awsvpcBlockImds: true }, 'ECS_AWSVPC_BLOCK_IMDS', 'true'],
      ['spotInstanceDraining', { spotInstanceDraining: true }, 'ECS_ENABLE_SPOT_INSTANCE_DRAINING', 'true'],
      ['logLevel', { logLevel: AgentLogLevel.DEBUG }, 'ECS_LOGLEVEL', 'debug'],
      ['logFile', { logFile: '/var/log/ecs/agent.log' }, 'ECS_LOGFILE', '/var/log/ecs/agent.log'],
      ['reservedMemoryMiB', { reservedMemoryMiB: 256 }, 'ECS_RESERVED_MEMORY', '256'],
      ['reservedMemoryMiB (0)', { reservedMemoryMiB: 0 }, 'ECS_RESERVED_MEMORY', '0'],
      ['instanceAttributes', { instanceAttributes: { team: 'payments' } }, 'ECS_INSTANCE_ATTRIBUTES', '{"team":"payments"}'],
      ['instanceTags', { instanceTags: { CostCenter: '1234' } }, 'ECS_CONTAINER_INSTANCE_TAGS', '{"CostCenter":"1234"}'],
      ['additionalSettings', { additionalSettings: { ECS_ENABLE_CONTAINER_METADATA: 'true' } }, 'ECS_ENABLE_CONTAINER_METADATA', 'true'],
    ])('uses the provided %s', (_, settings, variable, value) => {
      expect(variablesOf(settings)[variable]).toEqual(value);
    });

    test.each(Object.values(ImagePullBehavior))('renders imagePullBehavior %s as its agent value', (imagePullBehavior) => {
      expect(variablesOf({ imagePullBehavior }).ECS_IMAGE_PULL_BEHAVIOR).toEqual(imagePullBehavior);
    });

    test.each(Object.values(AgentLogLevel))('renders logLevel %s as its agent value', (logLevel) => {
      expect(variablesOf({ logLevel }).ECS_LOGLEVEL).toEqual(logLevel);
    });

    test.each<[Duration, string]>([
      [Duration.minutes(90), '90m'],
      [Duration.hours(3), '3h'],
      [Duration.seconds(45), '45s'],
      [Duration.minutes(60), '1h'],
      [Duration.seconds(7200), '2h'],
      [Duration.seconds(61), '61s'],
      [Duration.days(2), '48h'],
      [Duration.millis(90_000), '90s'],
    ])('renders the duration %s as the Go duration %s', (duration, rendered) => {
      expect(variablesOf({ imageMinimumCleanupAge: duration }).ECS_IMAGE_MINIMUM_CLEANUP_AGE).toEqual(rendered);
    });

    test('leaves unset options out, so the agent keeps its own defaults', () => {
      const variables = variablesOf({ logLevel: AgentLogLevel.INFO });
      expect(Object.keys(variables).sort()).toEqual(['ECS_AWSVPC_BLOCK_IMDS', 'ECS_DISABLE_PRIVILEGED', 'ECS_LOGLEVEL']);
    });

    test('returns the instance attributes apart, as given, for Bottlerocket', () => {
      const instanceAttributes = { 'team': 'payments', 'stack/tier': 'web' };
      expect(agentVariables(stack, 'agentSettings', { instanceAttributes }, false).instanceAttributes).toEqual(instanceAttributes);
    });

    test('renders no ECS_INSTANCE_ATTRIBUTES or ECS_CONTAINER_INSTANCE_TAGS for empty records', () => {
      const variables = variablesOf({ instanceAttributes: {}, instanceTags: {} });
      expect(variables).not.toHaveProperty('ECS_INSTANCE_ATTRIBUTES');
      expect(variables).not.toHaveProperty('ECS_CONTAINER_INSTANCE_TAGS');
    });

    test('renders instance attributes as JSON with sorted names', () => {
      expect(variablesOf({ instanceAttributes: { 'zone': 'a', 'team': 'payments', 'app.tier': 'web' } }).ECS_INSTANCE_ATTRIBUTES)
        .toEqual('{"app.tier":"web","team":"payments","zone":"a"}');
    });

    test('renders instance tags as JSON with sorted keys', () => {
      expect(variablesOf({ instanceTags: { 'Team': 'payments', 'Application': 'shop', 'cost center': '42' } }).ECS_CONTAINER_INSTANCE_TAGS)
        .toEqual('{"Application":"shop","Team":"payments","cost center":"42"}');
    });

    test('escapes backslashes in the instance attributes JSON', () => {
      expect(variablesOf({ instanceAttributes: { 'a\\b': 'c\\d' } }).ECS_INSTANCE_ATTRIBUTES).toEqual('{"a\\\\b":"c\\\\d"}');
    });

    test('renders several additional settings verbatim', () => {
      const variables = variablesOf({
        additionalSettings: { ECS_ENABLE_CONTAINER_METADATA: 'true', ECS_POLL_METRICS: 'false', ECS_WARM_POOLS_CHECK: 'true' },
      });
      expect(variables).toMatchObject({ ECS_ENABLE_CONTAINER_METADATA: 'true', ECS_POLL_METRICS: 'false', ECS_WARM_POOLS_CHECK: 'true' });
    });

    test('accepts token values for additional settings and resolves them', () => {
      const value = Lazy.string({ produce: () => 'resolved' });
      const variables = variablesOf({ additionalSettings: { ECS_ENABLE_CONTAINER_METADATA: value } });
      expect(stack.resolve(variables.ECS_ENABLE_CONTAINER_METADATA)).toEqual('resolved');
    });

    test('does not check an additional setting token for line breaks, since its value is unknown at synth', () => {
      const value = Lazy.string({ produce: () => 'a\nb' });
      expect(() => variablesOf({ additionalSettings: { ECS_ENABLE_CONTAINER_METADATA: value } })).not.toThrow();
    });

    test.each<[string, ContainerAgentSettings, string, string]>([
      ['reservedMemoryMiB', { reservedMemoryMiB: Lazy.number({ produce: () => 70000 }) }, 'ECS_RESERVED_MEMORY', '70000'],
      ['imagesDeletedPerCycle', { imagesDeletedPerCycle: Lazy.number({ produce: () => 5000 }) }, 'ECS_NUM_IMAGES_DELETE_PER_CYCLE', '5000'],
      ['logFile', { logFile: Lazy.string({ produce: () => 'relative.log' }) }, 'ECS_LOGFILE', 'relative.log'],
      ['instanceAttributes', { instanceAttributes: { team: Lazy.string({ produce: () => ' spaced ' }) } }, 'ECS_INSTANCE_ATTRIBUTES',
        '{"team":" spaced "}'],
      ['instanceTags', { instanceTags: { team: Lazy.string({ produce: () => 'a;b' }) } }, 'ECS_CONTAINER_INSTANCE_TAGS', '{"team":"a;b"}'],
    ])('skips the checks of a token %s and resolves it in the rendered configuration', (_, settings, variable, resolved) => {
      const variables = variablesOf(settings);
      expect(stack.resolve(`${variable}=${variables[variable]}`)).toEqual(`${variable}=${resolved}`);
    });

    test('gives the same variables, and the same ecs.config bytes, for records with keys in any order', () => {
      const settings: ContainerAgentSettings = {
        instanceAttributes: { zone: 'a', team: 'payments', tier: 'web' },
        instanceTags: { Team: 'payments', Application: 'shop' },
        additionalSettings: { ECS_POLL_METRICS: 'false', ECS_ENABLE_CONTAINER_METADATA: 'true' },
        logLevel: AgentLogLevel.WARN,
        reservedMemoryMiB: 64,
      };
      const reordered: ContainerAgentSettings = {
        additionalSettings: reversed(settings.additionalSettings!),
        reservedMemoryMiB: 64,
        instanceTags: reversed(settings.instanceTags!),
        logLevel: AgentLogLevel.WARN,
        instanceAttributes: reversed(settings.instanceAttributes!),
      };
      const a = variablesOf(settings);
      const b = variablesOf(reordered);
      expect(b).toEqual(a);
      expect(renderLinuxAgentConfig(b)).toEqual(renderLinuxAgentConfig(a));
    });
  });

  describe('validation', () => {
    describe('durations', () => {
      test.each<[keyof ContainerAgentSettings, Duration, string, string]>([
        ['taskCleanupWait', Duration.seconds(59), '1m to 168h', 'Duration.seconds(59)'],
        ['taskCleanupWait', Duration.hours(169), '1m to 168h', 'Duration.hours(169)'],
        ['taskCleanupWait', Duration.millis(60_500), '1m to 168h', 'Duration.millis(60500)'],
        ['imageCleanupInterval', Duration.minutes(9), '10m to 168h', 'Duration.minutes(9)'],
        ['imageCleanupInterval', Duration.days(8), '10m to 168h', 'Duration.days(8)'],
        ['imageMinimumCleanupAge', Duration.seconds(0), '1s to 720h', 'Duration.seconds(0)'],
        ['imageMinimumCleanupAge', Duration.millis(500), '1s to 720h', 'Duration.millis(500)'],
        ['imageMinimumCleanupAge', Duration.days(31), '1s to 720h', 'Duration.days(31)'],
        ['containerStopTimeout', Duration.seconds(0), '1s to 1h', 'Duration.seconds(0)'],
        ['containerStopTimeout', Duration.seconds(3601), '1s to 1h', 'Duration.seconds(3601)'],
        ['containerStopTimeout', Duration.millis(1500), '1s to 1h', 'Duration.millis(1500)'],
      ])('fails when %s is %s', (option, duration, range, given) => {
        expect(() => variablesOf({ [option]: duration }))
          .toThrow(new RegExp(`^\\[TestStack\\] \`agentSettings\\.${option}\` must be whole seconds from ${range}, got: ${literal(given)}$`));
      });

      test.each<[keyof ContainerAgentSettings, Duration, string]>([
        ['taskCleanupWait', Duration.minutes(1), '1m'],
        ['taskCleanupWait', Duration.days(7), '168h'],
        ['imageCleanupInterval', Duration.minutes(10), '10m'],
        ['imageCleanupInterval', Duration.days(7), '168h'],
        ['imageMinimumCleanupAge', Duration.seconds(1), '1s'],
        ['imageMinimumCleanupAge', Duration.days(30), '720h'],
        ['containerStopTimeout', Duration.seconds(1), '1s'],
        ['containerStopTimeout', Duration.hours(1), '1h'],
        ['containerStopTimeout', Duration.millis(2000), '2s'],
      ])('accepts %s of %s (a bound or whole seconds)', (option, duration, rendered) => {
        expect(Object.values(variablesOf({ [option]: duration }))).toContain(rendered);
      });
    });

    test.each([0, 1001, 1.5, -1])('fails when imagesDeletedPerCycle is %s', (imagesDeletedPerCycle) => {
      expect(() => variablesOf({ imagesDeletedPerCycle }))
        .toThrow(new RegExp(`^\\[TestStack\\] \`agentSettings\\.imagesDeletedPerCycle\` must be an integer between 1 and 1000, got: ${literal(String(imagesDeletedPerCycle))}$`));
    });

    test.each([1, 1000])('accepts imagesDeletedPerCycle of %s', (imagesDeletedPerCycle) => {
      expect(variablesOf({ imagesDeletedPerCycle }).ECS_NUM_IMAGES_DELETE_PER_CYCLE).toEqual(String(imagesDeletedPerCycle));
    });

    test.each([-1, 65537, 0.5])('fails when reservedMemoryMiB is %s', (reservedMemoryMiB) => {
      expect(() => variablesOf({ reservedMemoryMiB }))
        .toThrow(new RegExp(`^\\[TestStack\\] \`agentSettings\\.reservedMemoryMiB\` must be an integer between 0 and 65536, got: ${literal(String(reservedMemoryMiB))}$`));
    });

    test.each([0, 65536])('accepts reservedMemoryMiB of %s', (reservedMemoryMiB) => {
      expect(variablesOf({ reservedMemoryMiB }).ECS_RESERVED_MEMORY).toEqual(String(reservedMemoryMiB));
    });

    describe('logFile', () => {
      test.each([
        '/var/log/ecs/ecs-agent.log',
        '/a',
        'C:\\ProgramData\\Amazon\\ECS\\log\\ecs-agent.log',
        'd:\\logs\\agent.log',
        `/${'a'.repeat(1023)}`,
      ])('accepts the absolute path %s', (logFile) => {
        expect(variablesOf({ logFile }).ECS_LOGFILE).toEqual(logFile);
      });

      test.each([
        ['a relative path', 'logs/agent.log'],
        ['a bare file name', 'agent.log'],
        ['the root alone', '/'],
        ['a drive with a forward slash', 'C:/logs/agent.log'],
        ['a space', '/var/log/my agent.log'],
        ['a space in a Windows path', 'C:\\Program Files\\ECS\\agent.log'],
        ['a tab', '/var/log/a\tb.log'],
        ['a line break', '/var/log/agent.log\nECS_CLUSTER=other'],
        ['a single quote', "/var/log/it's.log"],
        ['a double quote', '/var/log/"agent".log'],
        ['a backquote', '/var/log/`id`.log'],
        ['a dollar sign', '/var/log/$HOME.log'],
        ['more than 1024 characters', `/${'a'.repeat(1024)}`],
      ])('fails when logFile is %s', (_, logFile) => {
        expect(() => variablesOf({ logFile }))
          .toThrow(new RegExp(`^${literal('[TestStack] `agentSettings.logFile` must be an absolute path without spaces or quotes '
            + '(`/var/log/ecs/agent.log` or `C:\\ProgramData\\Amazon\\ECS\\log\\agent.log`), got: ')}${literal(JSON.stringify(logFile))}$`));
      });
    });

    describe('instanceAttributes', () => {
      test('accepts 10 attributes', () => {
        expect(Object.keys(JSON.parse(variablesOf({ instanceAttributes: entries(10, 'a') }).ECS_INSTANCE_ATTRIBUTES))).toHaveLength(10);
      });

      test('fails when there are more than 10 attributes', () => {
        expect(() => variablesOf({ instanceAttributes: entries(11, 'a') }))
          .toThrow(/^\[TestStack\] `agentSettings\.instanceAttributes` must be at most 10 attributes, got: "11 attributes"$/);
      });

      test.each(['team', 'a', 'app.tier', 'stack/tier', 'a\\b', 'under_score', 'hyphen-ated', 'X'.repeat(128)])(
        'accepts the attribute name %s', (name) => {
          expect(agentVariables(stack, 'agentSettings', { instanceAttributes: { [name]: 'v' } }, false).instanceAttributes).toEqual({ [name]: 'v' });
        });

      test.each([
        ['empty', ''],
        ['longer than 128 characters', 'X'.repeat(129)],
        ['with a space', 'my team'],
        ['with a colon', 'ecs:team'],
        ['with an at sign', 'team@x'],
        ['with a quote', 'team"'],
      ])('fails when an attribute name is %s', (_, name) => {
        expect(() => variablesOf({ instanceAttributes: { [name]: 'v' } }))
          .toThrow(new RegExp(`^\\[TestStack\\] \`agentSettings\\.instanceAttributes name\` must be 1 to 128 letters, digits, hyphens, underscores, periods, slashes or backslashes, got: ${literal(JSON.stringify(name))}$`));
      });

      test.each([
        'payments',
        'x',
        'us-east-1a',
        'team@example.com',
        'arn:aws:iam::123456789012:role/x',
        'C:\\data',
        'two words',
        'a  b',
        'X'.repeat(128),
      ])('accepts the attribute value %s', (value) => {
        expect(variablesOf({ instanceAttributes: { team: value } }).ECS_INSTANCE_ATTRIBUTES).toEqual(JSON.stringify({ team: value }));
      });

      test.each([
        ['empty', ''],
        ['a single space', ' '],
        ['with a leading space', ' payments'],
        ['with a trailing space', 'payments '],
        ['longer than 128 characters', 'X'.repeat(129)],
        ['with a double quote', 'pay"ments'],
        ['with a single quote', "pay'ments"],
        ['with a line break', 'pay\nments'],
        ['with a comma', 'a,b'],
      ])('fails when an attribute value is %s', (_, value) => {
        expect(() => variablesOf({ instanceAttributes: { team: value } }))
          .toThrow(new RegExp(`^\\[TestStack\\] \`agentSettings\\.instanceAttributes\\.team\` must be 1 to 128 letters, digits, hyphens, underscores, periods, at signs, slashes, backslashes, colons or inner spaces, got: ${literal(JSON.stringify(value))}$`));
      });
    });

    describe('instanceTags', () => {
      test('accepts 50 tags', () => {
        expect(Object.keys(JSON.parse(variablesOf({ instanceTags: entries(50, 't') }).ECS_CONTAINER_INSTANCE_TAGS))).toHaveLength(50);
      });

      test('fails when there are more than 50 tags', () => {
        expect(() => variablesOf({ instanceTags: entries(51, 't') }))
          .toThrow(/^\[TestStack\] `agentSettings\.instanceTags` must be at most 50 tags, got: "51 tags"$/);
      });

      test.each(['Team', 'cost center', 'a+b=c@d/e:f.g_h-i', 'Größe', 'X'.repeat(128), 'myaws:key'])('accepts the tag key %s', (key) => {
        expect(variablesOf({ instanceTags: { [key]: 'v' } }).ECS_CONTAINER_INSTANCE_TAGS).toEqual(JSON.stringify({ [key]: 'v' }));
      });

      test.each([
        ['reserved (aws: prefix)', 'aws:cloudformation:stack-name'],
        ['reserved in any case (AWS: prefix)', 'AWS:team'],
        ['reserved in mixed case (Aws: prefix)', 'Aws:team'],
        ['empty', ''],
        ['longer than 128 characters', 'X'.repeat(129)],
        ['with a semicolon', 'a;b'],
        ['with a double quote', 'a"b'],
      ])('fails when a tag key is %s', (_, key) => {
        expect(() => variablesOf({ instanceTags: { [key]: 'v' } }))
          .toThrow(new RegExp(`^\\[TestStack\\] \`agentSettings\\.instanceTags key\` must be 1 to 128 letters, digits, spaces and \`_\\.:/=\\+-@\`, not starting with \`aws:\`, got: ${literal(JSON.stringify(key))}$`));
      });

      test.each(['', 'payments team', 'X'.repeat(256), 'a+b=c@d/e:f.g_h-i'])('accepts the tag value "%s"', (value) => {
        expect(variablesOf({ instanceTags: { Team: value } }).ECS_CONTAINER_INSTANCE_TAGS).toEqual(JSON.stringify({ Team: value }));
      });

      test.each([
        ['longer than 256 characters', 'X'.repeat(257)],
        ['with a semicolon', 'a;b'],
        ['with a line break', 'a\nb'],
        ['reserved (aws: prefix)', 'aws:reserved'],
        ['reserved in any case (AWS: prefix)', 'AWS:reserved'],
      ])('fails when a tag value is %s', (_, value) => {
        expect(() => variablesOf({ instanceTags: { Team: value } }))
          .toThrow(new RegExp(`^\\[TestStack\\] \`agentSettings\\.instanceTags\\.Team\` must be at most 256 letters, digits, spaces and \`_\\.:/=\\+-@\`, not starting with \`aws:\`, got: ${literal(JSON.stringify(value))}$`));
      });
    });

    describe('additionalSettings', () => {
      test.each(['ECS_ENABLE_CONTAINER_METADATA', 'ECS_A', 'ECS_9', `ECS_${'A'.repeat(100)}`])('accepts the variable %s', (name) => {
        expect(variablesOf({ additionalSettings: { [name]: 'x' } })[name]).toEqual('x');
      });

      test.each([
        ['without the ECS_ prefix', 'ENABLE_CONTAINER_METADATA'],
        ['in lower case', 'ecs_enable_container_metadata'],
        ['the prefix alone', 'ECS_'],
        ['with a hyphen', 'ECS_A-B'],
        ['with an equals sign', 'ECS_A=B'],
        ['too long', `ECS_${'A'.repeat(101)}`],
      ])('fails when a variable name is %s', (_, name) => {
        expect(() => variablesOf({ additionalSettings: { [name]: 'x' } }))
          .toThrow(new RegExp(`^\\[TestStack\\] \`agentSettings\\.additionalSettings name\` must be an agent variable such as \`ECS_ENABLE_CONTAINER_METADATA\`, got: ${literal(JSON.stringify(name))}$`));
      });

      test.each([
        ['ECS_ENGINE_TASK_CLEANUP_WAIT_DURATION', 'taskCleanupWait'],
        ['ECS_IMAGE_CLEANUP_INTERVAL', 'imageCleanupInterval'],
        ['ECS_IMAGE_MINIMUM_CLEANUP_AGE', 'imageMinimumCleanupAge'],
        ['ECS_NUM_IMAGES_DELETE_PER_CYCLE', 'imagesDeletedPerCycle'],
        ['ECS_DISABLE_IMAGE_CLEANUP', 'disableImageCleanup'],
        ['ECS_IMAGE_PULL_BEHAVIOR', 'imagePullBehavior'],
        ['ECS_DISABLE_PRIVILEGED', 'allowPrivilegedContainers'],
        ['ECS_AWSVPC_BLOCK_IMDS', 'awsvpcBlockImds'],
        ['ECS_ENABLE_SPOT_INSTANCE_DRAINING', 'spotInstanceDraining'],
        ['ECS_LOGLEVEL', 'logLevel'],
        ['ECS_LOGFILE', 'logFile'],
        ['ECS_RESERVED_MEMORY', 'reservedMemoryMiB'],
        ['ECS_CONTAINER_STOP_TIMEOUT', 'containerStopTimeout'],
        ['ECS_INSTANCE_ATTRIBUTES', 'instanceAttributes'],
        ['ECS_CONTAINER_INSTANCE_TAGS', 'instanceTags'],
      ])('fails when additionalSettings sets %s, naming the typed option %s', (variable, option) => {
        expect(() => variablesOf({ additionalSettings: { [variable]: 'x' } }))
          .toThrow(new RegExp(`^\\[TestStack\\] \`agentSettings\\.additionalSettings\\.${variable}\` must be set through the typed option \`agentSettings\\.${option}\`, got: "${variable}"$`));
      });

      test.each([
        'ECS_CLUSTER',
        'ECS_ENABLE_TASK_IAM_ROLE',
        'ECS_ENABLE_TASK_IAM_ROLE_NETWORK_HOST',
        'ECS_ENABLE_AWSLOGS_EXECUTIONROLE_OVERRIDE',
      ])('fails when additionalSettings sets %s, which the capacity sets itself', (variable) => {
        expect(() => variablesOf({ additionalSettings: { [variable]: 'x' } }))
          .toThrow(new RegExp(`^\\[TestStack\\] \`agentSettings\\.additionalSettings\\.${variable}\` must be left out: the capacity sets it itself, got: "${variable}"$`));
      });

      test.each(['ECS_ENGINE_AUTH_TYPE', 'ECS_ENGINE_AUTH_DATA'])('fails when additionalSettings sets the registry credential %s, pointing to Secrets Manager', (variable) => {
        const secretValue = '{"https://index.docker.io/v1/":{"username":"u","password":"hunter2"}}';
        let message = '';
        try {
          variablesOf({ additionalSettings: { [variable]: secretValue } });
        } catch (error) {
          message = (error as Error).message;
        }
        expect(message).toMatch(new RegExp(`^\\[TestStack\\] \`agentSettings\\.additionalSettings\\.${variable}\` must be left out: registry credentials are never written into the agent configuration in plain text; `));
        expect(message).toMatch(/from Secrets Manager instead/);
        expect(message).toMatch(/`ecs\.ContainerImage\.fromRegistry\(image, \{ credentials: secret \}\)`/);
        expect(message).toMatch(/, got: "a registry credential setting"$/);
        // the credential itself never appears in the error
        expect(message).not.toContain('hunter2');
      });

      test.each([
        ['a line feed', 'a\nb'],
        ['a carriage return', 'a\rb'],
        ['a CRLF', 'a\r\nECS_CLUSTER=other'],
        ['a trailing line feed', 'true\n'],
      ])('fails when an additional setting value has %s', (_, value) => {
        expect(() => variablesOf({ additionalSettings: { ECS_ENABLE_CONTAINER_METADATA: value } }))
          .toThrow(/^\[TestStack\] `agentSettings\.additionalSettings\.ECS_ENABLE_CONTAINER_METADATA` must be a single line, got: /);
      });

      test.each(['', 'a b', "it's", '$HOME', '{"json":true}'])('accepts the single-line value "%s" verbatim', (value) => {
        expect(variablesOf({ additionalSettings: { ECS_ENABLE_CONTAINER_METADATA: value } }).ECS_ENABLE_CONTAINER_METADATA).toEqual(value);
      });
    });

    test('names the prop it was given', () => {
      expect(() => agentVariables(stack, 'capacity.agent', { reservedMemoryMiB: -1 }, false))
        .toThrow(/`capacity\.agent\.reservedMemoryMiB` must be/);
    });
  });
});

describe('goDuration', () => {
  test.each<[number, string]>([
    [1, '1s'],
    [45, '45s'],
    [59, '59s'],
    [60, '1m'],
    [90, '90s'],
    [600, '10m'],
    [3599, '3599s'],
    [3600, '1h'],
    [5400, '90m'],
    [10800, '3h'],
    [604800, '168h'],
  ])('renders %s seconds as %s', (seconds, rendered) => {
    expect(goDuration(seconds)).toEqual(rendered);
  });
});

describe('renderLinuxAgentConfig', () => {
  test('appends the settings to /etc/ecs/ecs.config with a quoted heredoc', () => {
    expect(renderLinuxAgentConfig({ ECS_DISABLE_PRIVILEGED: 'true' })).toEqual([
      "cat <<'EOF' >> /etc/ecs/ecs.config",
      'ECS_DISABLE_PRIVILEGED=true',
      'EOF',
    ].join('\n'));
  });

  test('writes the keys in sorted order', () => {
    const rendered = renderLinuxAgentConfig({
      ECS_ENABLE_TASK_IAM_ROLE: 'true',
      ECS_AWSVPC_BLOCK_IMDS: 'true',
      ECS_DISABLE_PRIVILEGED: 'false',
    });
    expect(rendered.split('\n')).toEqual([
      "cat <<'EOF' >> /etc/ecs/ecs.config",
      'ECS_AWSVPC_BLOCK_IMDS=true',
      'ECS_DISABLE_PRIVILEGED=false',
      'ECS_ENABLE_TASK_IAM_ROLE=true',
      'EOF',
    ]);
  });

  test('gives the same bytes for the same settings in any order', () => {
    const a = renderLinuxAgentConfig({ B_KEY: '2', A_KEY: '1', C_KEY: '3' });
    const b = renderLinuxAgentConfig({ C_KEY: '3', A_KEY: '1', B_KEY: '2' });
    expect(a).toEqual(b);
  });

  test('writes the values verbatim, since the quoted heredoc expands nothing', () => {
    expect(renderLinuxAgentConfig({ ECS_INSTANCE_ATTRIBUTES: '{"stack":"$HOME"}' }))
      .toContain('\nECS_INSTANCE_ATTRIBUTES={"stack":"$HOME"}\n');
  });

  test('renders an empty heredoc for no settings', () => {
    expect(renderLinuxAgentConfig({})).toEqual("cat <<'EOF' >> /etc/ecs/ecs.config\nEOF");
  });
});

describe('renderBottlerocketSettings', () => {
  let stack: Stack;
  beforeEach(() => {
    stack = testStack();
  });
  const render = (settings: ContainerAgentSettings, usesSpot = false, clusterName = 'my-cluster') =>
    renderBottlerocketSettings(stack, 'agentSettings', clusterName, agentVariables(stack, 'agentSettings', settings, usesSpot));

  test('renders the cluster and the security defaults', () => {
    expect(render({}).split('\n')).toEqual([
      '[settings.ecs]',
      'cluster = "my-cluster"',
      'awsvpc-block-imds = true',
      'allow-privileged-containers = false',
    ]);
  });

  test('renders every supported setting with its Bottlerocket key and type, and the instance attributes table', () => {
    const rendered = render({
      taskCleanupWait: Duration.minutes(90),
      imageCleanupInterval: Duration.hours(3),
      imageMinimumCleanupAge: Duration.seconds(45),
      imagesDeletedPerCycle: 10,
      disableImageCleanup: true,
      imagePullBehavior: ImagePullBehavior.ONCE,
      allowPrivilegedContainers: true,
      awsvpcBlockImds: false,
      spotInstanceDraining: true,
      logLevel: AgentLogLevel.DEBUG,
      reservedMemoryMiB: 256,
      containerStopTimeout: Duration.minutes(2),
      instanceAttributes: { zone: 'a', team: 'payments' },
    });
    expect(rendered).toEqual([
      '[settings.ecs]',
      'cluster = "my-cluster"',
      'awsvpc-block-imds = false',
      'container-stop-timeout = "2m"',
      'image-cleanup-enabled = false',
      'allow-privileged-containers = true',
      'enable-spot-instance-draining = true',
      'task-cleanup-wait = "90m"',
      'image-cleanup-wait = "3h"',
      'image-cleanup-age = "45s"',
      'image-pull-behavior = "once"',
      'loglevel = "debug"',
      'image-cleanup-delete-per-cycle = 10',
      'reserved-memory = 256',
      '',
      '[settings.ecs.instance-attributes]',
      '"team" = "payments"',
      '"zone" = "a"',
    ].join('\n'));
  });

  test('inverts disableImageCleanup false into image-cleanup-enabled = true', () => {
    expect(render({ disableImageCleanup: false })).toContain('\nimage-cleanup-enabled = true');
  });

  test('turns Spot instance draining on for Spot capacity', () => {
    expect(render({}, true)).toContain('\nenable-spot-instance-draining = true');
  });

  test('renders no instance attributes table without attributes', () => {
    expect(render({ logLevel: AgentLogLevel.INFO })).not.toContain('instance-attributes');
  });

  test('escapes quotes and backslashes in TOML strings', () => {
    const agent: AgentVariables = {
      variables: { ECS_LOGLEVEL: 'a"b\\c' },
      instanceAttributes: { 'na"me\\x': 'va"lue\\y' },
    };
    expect(renderBottlerocketSettings(stack, 'agentSettings', 'my"cluster\\x', agent).split('\n')).toEqual([
      '[settings.ecs]',
      'cluster = "my\\"cluster\\\\x"',
      'loglevel = "a\\"b\\\\c"',
      '',
      '[settings.ecs.instance-attributes]',
      '"na\\"me\\\\x" = "va\\"lue\\\\y"',
    ]);
  });

  test('escapes backslashes of instance attributes validated by agentVariables', () => {
    expect(render({ instanceAttributes: { 'a\\b': 'C:\\data' } })).toContain('\n"a\\\\b" = "C:\\\\data"');
  });

  test('renders a token cluster name that resolves in place', () => {
    const clusterName = Lazy.string({ produce: () => 'resolved-cluster' });
    expect(stack.resolve(render({}, false, clusterName))).toContain('\ncluster = "resolved-cluster"\n');
  });

  test('gives the same bytes for instance attributes in any order', () => {
    const instanceAttributes = { zone: 'a', team: 'payments', tier: 'web' };
    expect(render({ instanceAttributes: reversed(instanceAttributes) })).toEqual(render({ instanceAttributes }));
  });

  describe('validation', () => {
    test('fails for logFile, which Bottlerocket has no setting for', () => {
      expect(() => render({ logFile: '/var/log/ecs/agent.log' }))
        .toThrow(/^\[TestStack\] `agentSettings\.logFile` must be left unset on Bottlerocket, which has no such agent setting, got: "\/var\/log\/ecs\/agent\.log"$/);
    });

    test('fails for instanceTags, which Bottlerocket has no setting for', () => {
      expect(() => render({ instanceTags: { Team: 'payments' } }))
        .toThrow(/^\[TestStack\] `agentSettings\.instanceTags` must be left unset on Bottlerocket, which has no such agent setting, got: "\{\\"Team\\":\\"payments\\"\}"$/);
    });

    test('fails for additional settings, naming the variable', () => {
      expect(() => render({ additionalSettings: { ECS_ENABLE_CONTAINER_METADATA: 'true' } }))
        .toThrow(/^\[TestStack\] `agentSettings\.additionalSettings\.ECS_ENABLE_CONTAINER_METADATA` must be left unset on Bottlerocket, which has no such agent setting, got: "true"$/);
    });
  });
});

describe('renderWindowsAgentConfig', () => {
  let stack: Stack;
  beforeEach(() => {
    stack = testStack();
  });
  const render = (settings: ContainerAgentSettings, usesSpot = false, clusterName = 'my-cluster') =>
    renderWindowsAgentConfig(stack, 'agentSettings', clusterName, agentVariables(stack, 'agentSettings', settings, usesSpot));
  const initialize = (flags: string, clusterName = 'my-cluster') =>
    `Initialize-ECSAgent -Cluster '${clusterName}' ${flags} -LoggingDrivers '["json-file","awslogs"]'`;

  test('clears the agent cache, sets the awslogs override and starts the agent with task roles, task ENIs and IMDS blocked', () => {
    expect(render({})).toEqual([
      'Remove-Item -Recurse -ErrorAction SilentlyContinue C:\\ProgramData\\Amazon\\ECS\\Cache',
      'Import-Module ECSTools',
      "[Environment]::SetEnvironmentVariable('ECS_ENABLE_AWSLOGS_EXECUTIONROLE_OVERRIDE', 'true', 'Machine')",
      initialize('-EnableTaskIAMRole -EnableTaskENI -AwsvpcBlockIMDS'),
    ]);
  });

  test('sets each variable as a machine environment variable, in sorted order', () => {
    expect(render({
      logLevel: AgentLogLevel.WARN,
      logFile: 'C:\\ProgramData\\Amazon\\ECS\\log\\ecs-agent.log',
      containerStopTimeout: Duration.seconds(45),
      instanceAttributes: { team: 'payments' },
      instanceTags: { Team: 'payments' },
      additionalSettings: { ECS_ENABLE_CONTAINER_METADATA: 'true' },
    }, true)).toEqual([
      'Remove-Item -Recurse -ErrorAction SilentlyContinue C:\\ProgramData\\Amazon\\ECS\\Cache',
      'Import-Module ECSTools',
      "[Environment]::SetEnvironmentVariable('ECS_CONTAINER_INSTANCE_TAGS', '{\"Team\":\"payments\"}', 'Machine')",
      "[Environment]::SetEnvironmentVariable('ECS_CONTAINER_STOP_TIMEOUT', '45s', 'Machine')",
      "[Environment]::SetEnvironmentVariable('ECS_ENABLE_AWSLOGS_EXECUTIONROLE_OVERRIDE', 'true', 'Machine')",
      "[Environment]::SetEnvironmentVariable('ECS_ENABLE_CONTAINER_METADATA', 'true', 'Machine')",
      "[Environment]::SetEnvironmentVariable('ECS_ENABLE_SPOT_INSTANCE_DRAINING', 'true', 'Machine')",
      "[Environment]::SetEnvironmentVariable('ECS_INSTANCE_ATTRIBUTES', '{\"team\":\"payments\"}', 'Machine')",
      "[Environment]::SetEnvironmentVariable('ECS_LOGFILE', 'C:\\ProgramData\\Amazon\\ECS\\log\\ecs-agent.log', 'Machine')",
      "[Environment]::SetEnvironmentVariable('ECS_LOGLEVEL', 'warn', 'Machine')",
      initialize('-EnableTaskIAMRole -EnableTaskENI -AwsvpcBlockIMDS'),
    ]);
  });

  test('passes IMDS blocking and privileged containers as flags, never as environment variables', () => {
    const lines = render({ awsvpcBlockImds: true, allowPrivilegedContainers: false }).join('\n');
    expect(lines).not.toContain('ECS_AWSVPC_BLOCK_IMDS');
    expect(lines).not.toContain('ECS_DISABLE_PRIVILEGED');
  });

  test('leaves -AwsvpcBlockIMDS out when awsvpcBlockImds is false', () => {
    const lines = render({ awsvpcBlockImds: false });
    expect(lines[lines.length - 1]).toEqual(initialize('-EnableTaskIAMRole -EnableTaskENI'));
    expect(lines.join('\n')).not.toContain('AwsvpcBlockIMDS');
  });

  test('doubles single quotes in the cluster name and values', () => {
    const lines = render({ additionalSettings: { ECS_ENABLE_CONTAINER_METADATA: "it's" } }, false, "o'brien");
    expect(lines).toContain("[Environment]::SetEnvironmentVariable('ECS_ENABLE_CONTAINER_METADATA', 'it''s', 'Machine')");
    expect(lines[lines.length - 1]).toEqual(initialize('-EnableTaskIAMRole -EnableTaskENI -AwsvpcBlockIMDS', "o''brien"));
  });

  test('keeps $ and backquotes literal in single-quoted strings', () => {
    const lines = render({ additionalSettings: { ECS_ENABLE_CONTAINER_METADATA: '$env:PATH `n' } });
    expect(lines).toContain("[Environment]::SetEnvironmentVariable('ECS_ENABLE_CONTAINER_METADATA', '$env:PATH `n', 'Machine')");
  });

  test('always sets ECS_ENABLE_AWSLOGS_EXECUTIONROLE_OVERRIDE to true, whatever the variables say', () => {
    const agent: AgentVariables = {
      variables: { ECS_ENABLE_AWSLOGS_EXECUTIONROLE_OVERRIDE: 'false', ECS_DISABLE_PRIVILEGED: 'true', ECS_AWSVPC_BLOCK_IMDS: 'true' },
      instanceAttributes: {},
    };
    const lines = renderWindowsAgentConfig(stack, 'agentSettings', 'my-cluster', agent);
    expect(lines.filter((line) => line.includes('ECS_ENABLE_AWSLOGS_EXECUTIONROLE_OVERRIDE'))).toEqual([
      "[Environment]::SetEnvironmentVariable('ECS_ENABLE_AWSLOGS_EXECUTIONROLE_OVERRIDE', 'true', 'Machine')",
    ]);
  });

  test('renders a token cluster name that resolves in place', () => {
    const clusterName = Lazy.string({ produce: () => 'resolved-cluster' });
    const lines = render({}, false, clusterName);
    expect(stack.resolve(lines[lines.length - 1])).toEqual(initialize('-EnableTaskIAMRole -EnableTaskENI -AwsvpcBlockIMDS', 'resolved-cluster'));
  });

  test('gives the same lines for records with keys in any order', () => {
    const additionalSettings = { ECS_POLL_METRICS: 'false', ECS_ENABLE_CONTAINER_METADATA: 'true' };
    const instanceAttributes = { zone: 'a', team: 'payments' };
    expect(render({ additionalSettings: reversed(additionalSettings), instanceAttributes: reversed(instanceAttributes) }))
      .toEqual(render({ additionalSettings, instanceAttributes }));
  });

  describe('validation', () => {
    test('fails when allowPrivilegedContainers is true', () => {
      expect(() => render({ allowPrivilegedContainers: true }))
        .toThrow(/^\[TestStack\] `agentSettings\.allowPrivilegedContainers` must be false on Windows, which has no privileged containers, got: true$/);
    });
  });
});

describe('agentVariables with tokens', () => {
  test('renders a token duration as seconds, unchecked, for CloudFormation to resolve', () => {
    const stack = new Stack();
    const seconds = Lazy.number({ produce: () => 45 });
    const { variables } = agentVariables(stack, 'agentSettings', { containerStopTimeout: Duration.seconds(seconds) }, false);
    expect(stack.resolve(variables.ECS_CONTAINER_STOP_TIMEOUT)).toEqual('45s');
  });
});
