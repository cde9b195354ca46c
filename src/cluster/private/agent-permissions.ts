/**
 * The AWS API calls the ECS container agent makes with the instance role, read from the agent's source
 * (aws/amazon-ecs-agent at 8dfceca6cf380a83c3007349317566f2862f0673):
 *
 * - every agent: `ecs-agent/api/ecs/client/ecs_client.go` (RegisterContainerInstance, DiscoverPollEndpoint,
 *   SubmitTaskStateChange, SubmitContainerStateChange, SubmitAttachmentStateChanges) and the ACS/TCS sessions
 *   (`ecs:Poll`, `ecs:StartTelemetrySession`); DeregisterContainerInstance when an instance leaves;
 * - `ECS_ENABLE_SPOT_INSTANCE_DRAINING`: `agent/app/agent.go` startSpotInstanceDrainingPoller calls
 *   `UpdateContainerInstancesState(DRAINING)` on an interruption notice;
 * - `ECS_CONTAINER_INSTANCE_TAGS`: `agent/app/agent.go` registerContainerInstance sends the tags in
 *   `RegisterContainerInstance`, which ECS authorizes as `ecs:TagResource` with `ecs:CreateAction`;
 * - `ECS_CONTAINER_INSTANCE_PROPAGATE_TAGS_FROM=ec2_instance`: the same, after `ec2:DescribeTags` on the instance
 *   (getContainerInstanceTagsFromEC2API); registration fails when that call fails.
 *
 * `ecs:ListTagsForResource` is called only when a task asks the metadata endpoint for `taskWithTags`, not because
 * of a setting; it is not granted.
 *
 * @see https://docs.aws.amazon.com/AmazonECS/latest/developerguide/instance_IAM_role.html
 * @see https://docs.aws.amazon.com/AmazonECS/latest/developerguide/supported-iam-actions-tagging.html
 */

/** An extra IAM permission that an agent setting needs. */
export interface AgentPermission {
  /** The statement id the capacity gives it. */
  readonly sid: string;
  readonly actions: readonly string[];
  /**
   * Whether the statement is limited to the capacity's cluster with an `ecs:cluster` condition (the resource is `*`
   * in every case: these actions act on container instances whose ARNs are not known in advance, or on none).
   */
  readonly thisClusterOnly: boolean;
  readonly conditions?: Record<string, Record<string, string>>;
  /** The API call, for messages. */
  readonly api: string;
}

/** An agent setting that makes the agent call extra APIs, when `calls(value)` says its value does. */
export interface AgentSettingPermissions {
  readonly calls: (value: string) => boolean;
  readonly permissions: readonly AgentPermission[];
}

/** `ecs:TagResource` for the tags sent with `RegisterContainerInstance`, and for nothing else. */
const TAG_ON_REGISTER: AgentPermission = {
  sid: 'TagContainerInstanceOnRegister',
  actions: ['ecs:TagResource'],
  // as in the AmazonEC2ContainerServiceforEC2Role managed policy: limited by ecs:CreateAction, not by cluster
  thisClusterOnly: false,
  conditions: { StringEquals: { 'ecs:CreateAction': 'RegisterContainerInstance' } },
  api: 'RegisterContainerInstance with tags',
};

/** The agent settings (by agent variable) that make the agent call an API beyond the base set. */
export const AGENT_SETTING_PERMISSIONS: Readonly<Record<string, AgentSettingPermissions>> = {
  ECS_ENABLE_SPOT_INSTANCE_DRAINING: {
    calls: (value) => value === 'true',
    permissions: [{
      sid: 'DrainOnSpotInterruption',
      actions: ['ecs:UpdateContainerInstancesState'],
      thisClusterOnly: true,
      api: 'UpdateContainerInstancesState',
    }],
  },
  ECS_CONTAINER_INSTANCE_TAGS: {
    calls: (value) => value !== '' && value !== '{}',
    permissions: [TAG_ON_REGISTER],
  },
  ECS_CONTAINER_INSTANCE_PROPAGATE_TAGS_FROM: {
    calls: (value) => value === 'ec2_instance',
    permissions: [TAG_ON_REGISTER, {
      sid: 'ReadInstanceTags',
      actions: ['ec2:DescribeTags'],
      thisClusterOnly: false,
      api: 'ec2:DescribeTags',
    }],
  },
};

/**
 * Agent settings the library renders that make the agent call no API beyond the base set. Together with
 * `AGENT_SETTING_PERMISSIONS` they cover every variable the library writes (a unit test keeps it so).
 */
export const SETTINGS_WITHOUT_EXTRA_CALLS: readonly string[] = [
  'ECS_CLUSTER',
  'ECS_ENABLE_TASK_IAM_ROLE',
  'ECS_ENABLE_TASK_IAM_ROLE_NETWORK_HOST',
  // always `true`: awslogs writes with each task's execution role (with `false` the instance role would write the logs)
  'ECS_ENABLE_AWSLOGS_EXECUTIONROLE_OVERRIDE',
  'ECS_ENGINE_TASK_CLEANUP_WAIT_DURATION',
  'ECS_IMAGE_CLEANUP_INTERVAL',
  'ECS_IMAGE_MINIMUM_CLEANUP_AGE',
  'ECS_NUM_IMAGES_DELETE_PER_CYCLE',
  'ECS_DISABLE_IMAGE_CLEANUP',
  'ECS_IMAGE_PULL_BEHAVIOR',
  'ECS_DISABLE_PRIVILEGED',
  // iptables rules on the instance only
  'ECS_AWSVPC_BLOCK_IMDS',
  'ECS_LOGLEVEL',
  'ECS_LOGFILE',
  'ECS_RESERVED_MEMORY',
  'ECS_CONTAINER_STOP_TIMEOUT',
  // sent in RegisterContainerInstance itself
  'ECS_INSTANCE_ATTRIBUTES',
];

/** The actions every agent calls with the instance role, whatever its settings. */
export const BASE_AGENT_ACTIONS: readonly string[] = [
  'ecs:RegisterContainerInstance',
  'ecs:DeregisterContainerInstance',
  'ecs:DiscoverPollEndpoint',
  'ecs:Poll',
  'ecs:StartTelemetrySession',
  'ecs:SubmitTaskStateChange',
  'ecs:SubmitContainerStateChange',
  'ecs:SubmitAttachmentStateChanges',
];

/** The extra permissions that `variables` (agent variable → rendered value) need, each once, in table order. */
export function agentPermissionsFor(variables: Record<string, string>): AgentPermission[] {
  const permissions: AgentPermission[] = [];
  for (const [variable, entry] of Object.entries(AGENT_SETTING_PERMISSIONS)) {
    const value = variables[variable];
    if (value === undefined || !entry.calls(value)) continue;
    for (const permission of entry.permissions) {
      if (!permissions.some((p) => p.sid === permission.sid)) permissions.push(permission);
    }
  }
  return permissions;
}
