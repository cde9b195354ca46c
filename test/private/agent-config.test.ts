import { renderLinuxAgentConfig } from '../../src/private/agent-config';

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
