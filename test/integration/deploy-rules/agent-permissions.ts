import { allows, launchTemplatesOf, LaunchTemplateFacts } from './container-instances';
import { DeployRule } from './deploy-rule';
import { BOTTLEROCKET_KEYS } from '../../../src/cluster/private/agent-config';
import { AGENT_SETTING_PERMISSIONS, BASE_AGENT_ACTIONS } from '../../../src/cluster/private/agent-permissions';

/**
 * The agent settings a launch template's user data writes (agent variable → value), in each of the three formats of
 * src/cluster/private/agent-config.ts: `/etc/ecs/ecs.config` lines (`ECS_X=value`), Bottlerocket's `[settings.ecs]` TOML keys,
 * and Windows machine environment variables plus `Initialize-ECSAgent` flags. Undefined when it configures no agent.
 */
export function agentSettingsOf(launchTemplate: LaunchTemplateFacts): Record<string, string> | undefined {
  const text = launchTemplate.userData;
  const settings: Record<string, string> = {};
  if (/^\[settings\.ecs\]$/m.test(text)) {
    const byKey = Object.fromEntries(Object.entries(BOTTLEROCKET_KEYS).map(([variable, setting]) => [setting.key, { variable, ...setting }]));
    const section = text.split(/^\[settings\.ecs\]$/m)[1].split(/^\[/m)[0];
    for (const match of section.matchAll(/^([a-z-]+) = (.+)$/gm)) {
      const setting = byKey[match[1]];
      if (!setting) continue;
      const value = match[2].startsWith('"') ? JSON.parse(match[2]) : match[2];
      settings[setting.variable] = setting.kind === 'inverted' ? String(value !== 'true') : value;
    }
    return settings;
  }
  if (/^Initialize-ECSAgent /m.test(text)) {
    for (const match of text.matchAll(/\[Environment\]::SetEnvironmentVariable\('(ECS_[A-Z0-9_]+)', '((?:[^']|'')*)', 'Machine'\)/g)) {
      settings[match[1]] = match[2].replace(/''/g, "'");
    }
    if (/^Initialize-ECSAgent .*-AwsvpcBlockIMDS/m.test(text)) settings.ECS_AWSVPC_BLOCK_IMDS = 'true';
    if (/^Initialize-ECSAgent .*-EnableTaskIAMRole/m.test(text)) settings.ECS_ENABLE_TASK_IAM_ROLE = 'true';
    return settings;
  }
  if (/\/etc\/ecs\/ecs\.config/.test(text)) {
    for (const match of text.matchAll(/^(ECS_[A-Z0-9_]+)=(.*)$/gm)) settings[match[1]] = match[2];
    return settings;
  }
  return undefined;
}

/**
 * The instance role of every container instance allows what its ECS agent calls: the base actions of every agent
 * (register, poll, report state) and what its settings add (Spot draining calls UpdateContainerInstancesState,
 * instance tags need TagResource on RegisterContainerInstance, EC2 tag propagation DescribeTags), per the table
 * src/cluster/private/agent-permissions.ts read from the agent's source. A missing action fails at run time: the instance
 * never registers, or a Spot interruption is not drained.
 */
export const AGENT_PERMISSIONS: DeployRule = {
  id: 'ecs-agent-permissions',
  description: 'the instance role allows every API call the ECS agent makes with the settings in its user data',
  docs: [
    'https://docs.aws.amazon.com/AmazonECS/latest/developerguide/instance_IAM_role.html',
    'https://docs.aws.amazon.com/AmazonECS/latest/developerguide/supported-iam-actions-tagging.html',
    'https://docs.aws.amazon.com/AmazonECS/latest/developerguide/container-instance-spot.html',
    'https://docs.aws.amazon.com/AmazonECS/latest/developerguide/ecs-agent-config.html',
  ],
  check(app) {
    const violations: string[] = [];
    for (const launchTemplate of launchTemplatesOf(app)) {
      const settings = agentSettingsOf(launchTemplate);
      if (!settings) continue;
      const needed = new Map<string, string>(BASE_AGENT_ACTIONS.map((action) => [action, 'every agent']));
      for (const [variable, entry] of Object.entries(AGENT_SETTING_PERMISSIONS)) {
        const value = settings[variable];
        if (value === undefined || !entry.calls(value)) continue;
        for (const permission of entry.permissions) {
          for (const action of permission.actions) needed.set(action, `${variable}=${value}`);
        }
      }
      for (const [action, why] of needed) {
        if (!allows(launchTemplate.allowedActions, action)) {
          violations.push(`${launchTemplate.stack.stackName}/${launchTemplate.logicalId} (AWS::EC2::LaunchTemplate): the instance role ` +
            `does not allow ${action}, which the agent calls (${why})`);
        }
      }
    }
    return violations;
  },
};
