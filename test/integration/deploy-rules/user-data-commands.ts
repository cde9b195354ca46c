import { launchTemplatesOf } from './container-instances';
import { DeployRule } from './deploy-rule';
import { AL2023_COMMANDS, AL2023_PACKAGE_COMMANDS } from '../../../src/cluster/private/ami-families';

/** The commands a shell script runs, each with its line number, and what `dnf install` installs on the way. */
export function missingCommands(script: string, available: readonly string[]): { line: number; command: string }[] {
  const installed = new Set<string>(available);
  const missing: { line: number; command: string }[] = [];
  const lines = script.split('\n');
  let heredocEnd: string | undefined;
  lines.forEach((text, index) => {
    if (heredocEnd !== undefined) {
      if (text === heredocEnd) heredocEnd = undefined;
      return;
    }
    if (index === 0 && text.startsWith('#!')) return;
    const heredoc = /<<-?\s*'?"?([A-Za-z_]+)'?"?/.exec(text);
    if (heredoc) heredocEnd = heredoc[1];
    // quoted text is an argument, never a command
    const unquoted = text.replace(/'[^']*'/g, "''").replace(/"(?:[^"\\]|\\.)*"/g, '""').replace(/#.*$/, '');
    for (const segment of unquoted.split(/&&|\|\||;|\|/)) {
      const words = segment.trim().split(/\s+/).filter((word) => word && !/^[A-Za-z_][A-Za-z0-9_]*=/.test(word));
      const command = words[0];
      if (!command) continue;
      if (!installed.has(command)) missing.push({ line: index + 1, command });
      if (command === 'dnf' && words.includes('install')) {
        for (const pkg of words.slice(words.indexOf('install') + 1).filter((word) => !word.startsWith('-'))) {
          for (const installedCommand of AL2023_PACKAGE_COMMANDS[pkg] ?? []) installed.add(installedCommand);
        }
      }
    }
  });
  return missing;
}

/**
 * Every command the shell user data of an Amazon Linux 2023 container instance runs exists on the ECS-optimized AL2023
 * AMI, or is installed by an earlier line (`dnf install`). The AMI is built from minimal AL2023 and has no AWS CLI or
 * CloudWatch agent (src/cluster/private/ami-families.ts lists what it has, from aws/amazon-ecs-ami); a missing command fails
 * the user data and keeps the instance out of the cluster. The family comes from the launch template's SSM parameter.
 */
export const USER_DATA_COMMANDS: DeployRule = {
  id: 'user-data-commands',
  description: 'every command the shell user data runs exists on its AMI family or is installed by an earlier line',
  docs: [
    'https://docs.aws.amazon.com/AmazonECS/latest/developerguide/ecs-optimized_AMI.html',
    'https://docs.aws.amazon.com/linux/al2023/ug/AMI-minimal-and-standard-differences.html',
    'https://docs.aws.amazon.com/AmazonECS/latest/developerguide/bootstrap_container_instance.html',
  ],
  check(app) {
    return launchTemplatesOf(app)
      .filter((launchTemplate) => launchTemplate.family === 'al2023')
      .flatMap((launchTemplate) => missingCommands(launchTemplate.userData, AL2023_COMMANDS).map(({ line, command }) =>
        `${launchTemplate.stack.stackName}/${launchTemplate.logicalId} (AWS::EC2::LaunchTemplate): user data line ${line} runs ` +
        `\`${command}\`, which the Amazon Linux 2023 ECS AMI does not have and no earlier line installs`));
  },
};
