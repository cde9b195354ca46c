import { Duration, Token, Tokenization } from 'aws-cdk-lib';
import { IConstruct } from 'constructs';
import { assertInRange, assertPattern, validationError } from '../../shared/validate';
import { ContainerAgentSettings } from '../container-agent-settings';

/** How an AMI family takes its agent configuration. */
export type AgentConfigFormat = 'ecs-config' | 'bottlerocket-toml' | 'windows-environment';

/** Agent variables (`ECS_*`) with their rendered values, and the instance attributes kept apart for Bottlerocket. */
export interface AgentVariables {
  readonly variables: Record<string, string>;
  readonly instanceAttributes: Record<string, string>;
}

/** Variables that a typed option of `ContainerAgentSettings` owns, with the option's name. */
export const TYPED_VARIABLES: Readonly<Record<string, string>> = {
  ECS_ENGINE_TASK_CLEANUP_WAIT_DURATION: 'taskCleanupWait',
  ECS_IMAGE_CLEANUP_INTERVAL: 'imageCleanupInterval',
  ECS_IMAGE_MINIMUM_CLEANUP_AGE: 'imageMinimumCleanupAge',
  ECS_NUM_IMAGES_DELETE_PER_CYCLE: 'imagesDeletedPerCycle',
  ECS_DISABLE_IMAGE_CLEANUP: 'disableImageCleanup',
  ECS_IMAGE_PULL_BEHAVIOR: 'imagePullBehavior',
  ECS_DISABLE_PRIVILEGED: 'allowPrivilegedContainers',
  ECS_AWSVPC_BLOCK_IMDS: 'awsvpcBlockImds',
  ECS_ENABLE_SPOT_INSTANCE_DRAINING: 'spotInstanceDraining',
  ECS_LOGLEVEL: 'logLevel',
  ECS_LOGFILE: 'logFile',
  ECS_RESERVED_MEMORY: 'reservedMemoryMiB',
  ECS_CONTAINER_STOP_TIMEOUT: 'containerStopTimeout',
  ECS_INSTANCE_ATTRIBUTES: 'instanceAttributes',
  ECS_CONTAINER_INSTANCE_TAGS: 'instanceTags',
};

/** Variables the capacity itself sets, so a user may not. */
export const OWNED_VARIABLES: readonly string[] = ['ECS_CLUSTER', 'ECS_ENABLE_TASK_IAM_ROLE', 'ECS_ENABLE_TASK_IAM_ROLE_NETWORK_HOST',
  'ECS_ENABLE_AWSLOGS_EXECUTIONROLE_OVERRIDE'];

/** Registry credentials in plain text: refused, whatever the option they come through. */
const REGISTRY_CREDENTIAL_VARIABLES = ['ECS_ENGINE_AUTH_TYPE', 'ECS_ENGINE_AUTH_DATA'];

/** The Bottlerocket `[settings.ecs]` key of each agent variable it supports, and whether the boolean is inverted. */
export const BOTTLEROCKET_KEYS: Record<string, { readonly key: string; readonly kind: 'string' | 'number' | 'boolean' | 'inverted' }> = {
  ECS_DISABLE_PRIVILEGED: { key: 'allow-privileged-containers', kind: 'inverted' },
  ECS_AWSVPC_BLOCK_IMDS: { key: 'awsvpc-block-imds', kind: 'boolean' },
  ECS_ENABLE_SPOT_INSTANCE_DRAINING: { key: 'enable-spot-instance-draining', kind: 'boolean' },
  ECS_ENGINE_TASK_CLEANUP_WAIT_DURATION: { key: 'task-cleanup-wait', kind: 'string' },
  ECS_IMAGE_CLEANUP_INTERVAL: { key: 'image-cleanup-wait', kind: 'string' },
  ECS_IMAGE_MINIMUM_CLEANUP_AGE: { key: 'image-cleanup-age', kind: 'string' },
  ECS_NUM_IMAGES_DELETE_PER_CYCLE: { key: 'image-cleanup-delete-per-cycle', kind: 'number' },
  ECS_DISABLE_IMAGE_CLEANUP: { key: 'image-cleanup-enabled', kind: 'inverted' },
  ECS_IMAGE_PULL_BEHAVIOR: { key: 'image-pull-behavior', kind: 'string' },
  ECS_LOGLEVEL: { key: 'loglevel', kind: 'string' },
  ECS_RESERVED_MEMORY: { key: 'reserved-memory', kind: 'number' },
  ECS_CONTAINER_STOP_TIMEOUT: { key: 'container-stop-timeout', kind: 'string' },
};

const ATTRIBUTE_NAME = /^[A-Za-z0-9_./\\-]{1,128}$/;
const ATTRIBUTE_VALUE = /^[A-Za-z0-9_.@/\\:-]([A-Za-z0-9_.@/\\: -]{0,126}[A-Za-z0-9_.@/\\:-])?$/;

/**
 * Validates `settings` (reported as `<prop>.<option>`) and turns them into agent variables. Security defaults
 * apply: privileged containers off and task access to the instance metadata service blocked.
 */
export function agentVariables(scope: IConstruct, prop: string, settings: ContainerAgentSettings, usesSpot: boolean): AgentVariables {
  const variables: Record<string, string> = {};
  const option = (name: string) => `${prop}.${name}`;

  const duration = (name: string, variable: string, value: Duration | undefined, minSeconds: number, maxSeconds: number) => {
    if (value === undefined) return;
    const seconds = value.toSeconds({ integral: false });
    if (Token.isUnresolved(seconds)) {
      variables[variable] = `${Tokenization.stringifyNumber(seconds)}s`;
      return;
    }
    if (!Number.isInteger(seconds) || seconds < minSeconds || seconds > maxSeconds) {
      validationError(scope, option(name), `whole seconds from ${goDuration(minSeconds)} to ${goDuration(maxSeconds)}`, value);
    }
    variables[variable] = goDuration(seconds);
  };

  duration('taskCleanupWait', 'ECS_ENGINE_TASK_CLEANUP_WAIT_DURATION', settings.taskCleanupWait, 60, 7 * 24 * 3600);
  duration('imageCleanupInterval', 'ECS_IMAGE_CLEANUP_INTERVAL', settings.imageCleanupInterval, 600, 7 * 24 * 3600);
  duration('imageMinimumCleanupAge', 'ECS_IMAGE_MINIMUM_CLEANUP_AGE', settings.imageMinimumCleanupAge, 1, 30 * 24 * 3600);
  duration('containerStopTimeout', 'ECS_CONTAINER_STOP_TIMEOUT', settings.containerStopTimeout, 1, 3600);
  if (settings.imagesDeletedPerCycle !== undefined) {
    assertInRange(scope, option('imagesDeletedPerCycle'), settings.imagesDeletedPerCycle, 1, 1000);
    variables.ECS_NUM_IMAGES_DELETE_PER_CYCLE = String(settings.imagesDeletedPerCycle);
  }
  if (settings.disableImageCleanup !== undefined) variables.ECS_DISABLE_IMAGE_CLEANUP = String(settings.disableImageCleanup);
  if (settings.imagePullBehavior !== undefined) variables.ECS_IMAGE_PULL_BEHAVIOR = settings.imagePullBehavior;
  variables.ECS_DISABLE_PRIVILEGED = String(!(settings.allowPrivilegedContainers ?? false));
  variables.ECS_AWSVPC_BLOCK_IMDS = String(settings.awsvpcBlockImds ?? true);
  const spotInstanceDraining = settings.spotInstanceDraining ?? usesSpot;
  if (spotInstanceDraining) variables.ECS_ENABLE_SPOT_INSTANCE_DRAINING = 'true';
  if (settings.logLevel !== undefined) variables.ECS_LOGLEVEL = settings.logLevel;
  if (settings.logFile !== undefined) {
    assertPattern(scope, option('logFile'), settings.logFile, /^(\/|[A-Za-z]:\\)[^\s'"`$]{1,1023}$/,
      'an absolute path without spaces or quotes (`/var/log/ecs/agent.log` or `C:\\ProgramData\\Amazon\\ECS\\log\\agent.log`)');
    variables.ECS_LOGFILE = settings.logFile;
  }
  if (settings.reservedMemoryMiB !== undefined) {
    assertInRange(scope, option('reservedMemoryMiB'), settings.reservedMemoryMiB, 0, 65536);
    variables.ECS_RESERVED_MEMORY = String(settings.reservedMemoryMiB);
  }

  const instanceAttributes = settings.instanceAttributes ?? {};
  const attributeNames = Object.keys(instanceAttributes);
  if (attributeNames.length > 10) {
    validationError(scope, option('instanceAttributes'), 'at most 10 attributes', `${attributeNames.length} attributes`);
  }
  for (const name of attributeNames) {
    assertPattern(scope, `${option('instanceAttributes')} name`, name, ATTRIBUTE_NAME,
      '1 to 128 letters, digits, hyphens, underscores, periods, slashes or backslashes');
    assertPattern(scope, option(`instanceAttributes.${name}`), instanceAttributes[name], ATTRIBUTE_VALUE,
      '1 to 128 letters, digits, hyphens, underscores, periods, at signs, slashes, backslashes, colons or inner spaces');
  }
  if (attributeNames.length) variables.ECS_INSTANCE_ATTRIBUTES = sortedJson(instanceAttributes);

  const instanceTags = settings.instanceTags ?? {};
  const tagKeys = Object.keys(instanceTags);
  if (tagKeys.length > 50) validationError(scope, option('instanceTags'), 'at most 50 tags', `${tagKeys.length} tags`);
  for (const key of tagKeys) {
    assertPattern(scope, `${option('instanceTags')} key`, key, /^(?!aws:)[\p{L}\p{Z}\p{N}_.:/=+\-@]{1,128}$/iu,
      '1 to 128 letters, digits, spaces and `_.:/=+-@`, not starting with `aws:`');
    assertPattern(scope, option(`instanceTags.${key}`), instanceTags[key], /^(?!aws:)[\p{L}\p{Z}\p{N}_.:/=+\-@]{0,256}$/iu,
      'at most 256 letters, digits, spaces and `_.:/=+-@`, not starting with `aws:`');
  }
  if (tagKeys.length) variables.ECS_CONTAINER_INSTANCE_TAGS = sortedJson(instanceTags);

  for (const [name, value] of Object.entries(settings.additionalSettings ?? {})) {
    const where = option(`additionalSettings.${name}`);
    if (REGISTRY_CREDENTIAL_VARIABLES.includes(name)) {
      validationError(scope, where, 'left out: registry credentials are never written into the agent configuration in plain text; ' +
        'give the container its registry credentials from Secrets Manager instead (`ecs.ContainerImage.fromRegistry(image, { credentials: secret })`)',
      'a registry credential setting');
    }
    assertPattern(scope, `${option('additionalSettings')} name`, name, /^ECS_[A-Z0-9_]{1,100}$/, 'an agent variable such as `ECS_ENABLE_CONTAINER_METADATA`');
    if (name in TYPED_VARIABLES) validationError(scope, where, `set through the typed option \`${option(TYPED_VARIABLES[name])}\``, name);
    if (OWNED_VARIABLES.includes(name)) validationError(scope, where, 'left out: the capacity sets it itself', name);
    if (!Token.isUnresolved(value) && /[\r\n]/.test(value)) validationError(scope, where, 'a single line', value);
    variables[name] = value;
  }

  return { variables, instanceAttributes };
}

/** A Go duration string (`3h`, `90m`, `45s`), the format the agent parses. */
export function goDuration(seconds: number): string {
  if (seconds % 3600 === 0) return `${seconds / 3600}h`;
  if (seconds % 60 === 0) return `${seconds / 60}m`;
  return `${seconds}s`;
}

/** JSON with sorted keys, so the same settings give the same bytes. */
function sortedJson(record: Record<string, string>): string {
  return JSON.stringify(Object.fromEntries(Object.keys(record).sort().map((key) => [key, record[key]])));
}

/**
 * Renders ECS container agent settings into a Linux user-data command that appends them to
 * `/etc/ecs/ecs.config`. Keys are written in sorted order, so the same settings give the same bytes.
 */
export function renderLinuxAgentConfig(settings: Record<string, string>): string {
  const lines = Object.keys(settings).sort().map((key) => `${key}=${settings[key]}`);
  return ["cat <<'EOF' >> /etc/ecs/ecs.config", ...lines, 'EOF'].join('\n');
}

/**
 * Renders Bottlerocket user data: the `[settings.ecs]` table and its instance attributes. Fails for agent variables
 * that Bottlerocket has no setting for, naming the option that set them.
 */
export function renderBottlerocketSettings(scope: IConstruct, prop: string, clusterName: string, agent: AgentVariables): string {
  const lines = ['[settings.ecs]', `cluster = ${tomlString(clusterName)}`];
  for (const variable of Object.keys(agent.variables).sort()) {
    if (variable === 'ECS_INSTANCE_ATTRIBUTES') continue;
    const setting = BOTTLEROCKET_KEYS[variable];
    if (!setting) {
      const option = TYPED_VARIABLES[variable] ?? `additionalSettings.${variable}`;
      validationError(scope, `${prop}.${option}`, 'left unset on Bottlerocket, which has no such agent setting', agent.variables[variable]);
    }
    const value = agent.variables[variable];
    const rendered = setting.kind === 'string' ? tomlString(value)
      : setting.kind === 'inverted' ? String(value !== 'true')
        : value;
    lines.push(`${setting.key} = ${rendered}`);
  }
  const names = Object.keys(agent.instanceAttributes).sort();
  if (names.length) {
    lines.push('', '[settings.ecs.instance-attributes]');
    for (const name of names) lines.push(`${tomlString(name)} = ${tomlString(agent.instanceAttributes[name])}`);
  }
  return lines.join('\n');
}

/**
 * Renders the PowerShell that configures and starts the agent on the ECS-optimized Windows AMI: each variable as
 * a machine environment variable, then `Initialize-ECSAgent` with task IAM roles and task ENIs (awsvpc) on.
 */
export function renderWindowsAgentConfig(scope: IConstruct, prop: string, clusterName: string, agent: AgentVariables): string[] {
  const { ECS_AWSVPC_BLOCK_IMDS: blockImds, ECS_DISABLE_PRIVILEGED: disablePrivileged, ...variables } = agent.variables;
  if (disablePrivileged === 'false') {
    validationError(scope, `${prop}.allowPrivilegedContainers`, 'false on Windows, which has no privileged containers', true);
  }
  const lines = [
    'Remove-Item -Recurse -ErrorAction SilentlyContinue C:\\ProgramData\\Amazon\\ECS\\Cache',
    'Import-Module ECSTools',
  ];
  const all: Record<string, string> = { ...variables, ECS_ENABLE_AWSLOGS_EXECUTIONROLE_OVERRIDE: 'true' };
  for (const variable of Object.keys(all).sort()) {
    lines.push(`[Environment]::SetEnvironmentVariable(${psString(variable)}, ${psString(all[variable])}, 'Machine')`);
  }
  const flags = ['-EnableTaskIAMRole', '-EnableTaskENI', ...(blockImds === 'true' ? ['-AwsvpcBlockIMDS'] : [])];
  lines.push(`Initialize-ECSAgent -Cluster ${psString(clusterName)} ${flags.join(' ')} -LoggingDrivers '["json-file","awslogs"]'`);
  return lines;
}

/** A TOML basic string; JSON's escapes are valid TOML escapes. */
function tomlString(value: string): string {
  return JSON.stringify(value);
}

/** A PowerShell single-quoted string: nothing inside is expanded; a quote is doubled. */
function psString(value: string): string {
  return `'${value.replace(/'/g, "''")}'`;
}
