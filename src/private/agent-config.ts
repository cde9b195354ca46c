/**
 * Renders ECS container agent settings into a Linux user-data command that appends them to
 * `/etc/ecs/ecs.config`. Keys are written in sorted order, so the same settings give the same bytes.
 */
export function renderLinuxAgentConfig(settings: Record<string, string>): string {
  const lines = Object.keys(settings).sort().map((key) => `${key}=${settings[key]}`);
  return ["cat <<'EOF' >> /etc/ecs/ecs.config", ...lines, 'EOF'].join('\n');
}
