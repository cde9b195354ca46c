import { BOTTLEROCKET_KEYS, OWNED_VARIABLES, TYPED_VARIABLES } from '../../../src/cluster/private/agent-config';
import {
  AGENT_SETTING_PERMISSIONS, agentPermissionsFor, BASE_AGENT_ACTIONS, SETTINGS_WITHOUT_EXTRA_CALLS,
} from '../../../src/cluster/private/agent-permissions';

/** Agent variables a user can only write through `additionalSettings` that the table knows to call an extra API. */
const UNTYPED_VARIABLES_THAT_CALL_APIS = ['ECS_CONTAINER_INSTANCE_PROPAGATE_TAGS_FROM'];

describe('agent permissions table', () => {
  test('covers every agent variable the library renders, either with its permissions or as calling no extra API', () => {
    const rendered = [...Object.keys(TYPED_VARIABLES), ...OWNED_VARIABLES].sort();
    const covered = [...Object.keys(AGENT_SETTING_PERMISSIONS), ...SETTINGS_WITHOUT_EXTRA_CALLS]
      .filter((variable) => !UNTYPED_VARIABLES_THAT_CALL_APIS.includes(variable)).sort();
    expect(covered).toEqual(rendered);
  });

  test('lists no variable both ways', () => {
    for (const variable of SETTINGS_WITHOUT_EXTRA_CALLS) expect(Object.keys(AGENT_SETTING_PERMISSIONS)).not.toContain(variable);
  });

  test('knows every Bottlerocket setting by its agent variable', () => {
    for (const variable of Object.keys(BOTTLEROCKET_KEYS)) {
      expect([...Object.keys(AGENT_SETTING_PERMISSIONS), ...SETTINGS_WITHOUT_EXTRA_CALLS]).toContain(variable);
    }
  });

  test.each<[string, Record<string, string>, string[]]>([
    ['Spot draining on', { ECS_ENABLE_SPOT_INSTANCE_DRAINING: 'true' }, ['ecs:UpdateContainerInstancesState']],
    ['Spot draining off', { ECS_ENABLE_SPOT_INSTANCE_DRAINING: 'false' }, []],
    ['instance tags', { ECS_CONTAINER_INSTANCE_TAGS: '{"Team":"payments"}' }, ['ecs:TagResource']],
    ['no instance tags', { ECS_CONTAINER_INSTANCE_TAGS: '{}' }, []],
    ['EC2 tag propagation', { ECS_CONTAINER_INSTANCE_PROPAGATE_TAGS_FROM: 'ec2_instance' }, ['ecs:TagResource', 'ec2:DescribeTags']],
    ['no tag propagation', { ECS_CONTAINER_INSTANCE_PROPAGATE_TAGS_FROM: 'none' }, []],
    ['tags and propagation, TagResource once', { ECS_CONTAINER_INSTANCE_TAGS: '{"A":"b"}', ECS_CONTAINER_INSTANCE_PROPAGATE_TAGS_FROM: 'ec2_instance' },
      ['ecs:TagResource', 'ec2:DescribeTags']],
    ['the security defaults', { ECS_AWSVPC_BLOCK_IMDS: 'true', ECS_DISABLE_PRIVILEGED: 'true' }, []],
  ])('needs exactly the actions of its settings: %s', (_, variables, actions) => {
    expect(agentPermissionsFor(variables).flatMap((permission) => permission.actions)).toEqual(actions);
  });

  test('names the base actions of every agent', () => {
    expect(BASE_AGENT_ACTIONS).toEqual(expect.arrayContaining(['ecs:RegisterContainerInstance', 'ecs:Poll', 'ecs:DiscoverPollEndpoint',
      'ecs:SubmitTaskStateChange']));
  });
});
