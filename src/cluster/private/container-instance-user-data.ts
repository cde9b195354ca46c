import * as ec2 from 'aws-cdk-lib/aws-ec2';

/**
 * The first lines of shell user data. `set -euo pipefail` stops at the first failed command (an unset variable or a
 * failed stage of a pipe counts). The `ecs` unit is ordered after cloud-init's final stage but starts even when the
 * user data failed, so the ERR trap masks it first: the instance stays out of the cluster instead of joining with
 * half its configuration (or, without `ECS_CLUSTER`, trying the `default` cluster), and the message names the line.
 */
export const SHELL_PROLOGUE: readonly string[] = [
  '#!/bin/bash',
  'set -euo pipefail',
  "trap 'echo \"user data failed at line $LINENO: $BASH_COMMAND; the ECS agent is masked and the instance stays out of the cluster\" >&2; " +
    "systemctl mask --now ecs.service' ERR",
];

/**
 * PowerShell user data runs in `try` with every error terminating; `catch` disables the ECS agent service (which
 * `Initialize-ECSAgent`, the last command, would have started) and fails the script with the error.
 */
export const POWERSHELL_PROLOGUE: readonly string[] = [
  "$ErrorActionPreference = 'Stop'",
  'try {',
];
export const POWERSHELL_EPILOGUE: readonly string[] = [
  '} catch {',
  '  Set-Service -Name AmazonECS -StartupType Disabled -ErrorAction SilentlyContinue',
  '  Stop-Service -Name AmazonECS -ErrorAction SilentlyContinue',
  '  Write-Error "user data failed: $_; the ECS agent is disabled and the instance stays out of the cluster" -ErrorAction Continue',
  '  exit 1',
  '}',
];

/** The shape of user data an AMI family reads. */
export type UserDataFormat = 'shell' | 'toml' | 'powershell';

/**
 * The user data of an `Ec2Capacity`'s container instances. The capacity renders the whole agent configuration
 * itself, in the format of its AMI family; what aws-cdk-lib's `Cluster.addAsgCapacityProvider()` would add
 * (an `ECS_CLUSTER` line, or a Windows bootstrap that starts the agent before our settings) is ignored while
 * `ignoringCommands()` runs. The instance log shipping (the CloudWatch agent) runs after the agent configuration;
 * commands added later, for example with `autoScalingGroup.addUserData()`, run after both.
 */
export class ContainerInstanceUserData extends ec2.UserData {
  private readonly agentLines: string[] = [];
  private readonly agentStartLines: string[] = [];
  private readonly logShippingLines: string[] = [];
  private readonly userLines: string[] = [];
  private ignoring = false;

  constructor(private readonly format: UserDataFormat) {
    super();
  }

  /** Runs `fn` while ignoring the commands it adds. */
  public ignoringCommands(fn: () => void): void {
    const previous = this.ignoring;
    this.ignoring = true;
    try {
      fn();
    } finally {
      this.ignoring = previous;
    }
  }

  /**
   * Sets the agent configuration, rendered before any other command, and the commands that start the agent
   * (`Initialize-ECSAgent` on Windows), rendered after every other command so that the agent starts only once the
   * whole user data has succeeded. (On Amazon Linux the `ecs` unit starts after cloud-init's final stage anyway.)
   */
  public setAgentConfiguration(lines: string[], startLines: string[] = []): void {
    this.agentLines.splice(0, this.agentLines.length, ...lines);
    this.agentStartLines.splice(0, this.agentStartLines.length, ...startLines);
  }

  /** Sets the commands that ship the instance's logs, rendered after the agent configuration. */
  public setLogShipping(lines: string[]): void {
    this.logShippingLines.splice(0, this.logShippingLines.length, ...lines);
  }

  public addCommands(...commands: string[]): void {
    if (!this.ignoring) this.userLines.push(...commands);
  }

  /**
   * Renders the user data. Shell and PowerShell user data stop at the first failed command and keep the ECS agent
   * from starting, so that no instance joins the cluster with half its configuration; the failure is written to the
   * instance's console output (`aws ec2 get-console-output`) and cloud-init's or EC2Launch's log. Bottlerocket takes
   * TOML settings and runs no commands.
   */
  public render(): string {
    const lines = [...this.agentLines, ...this.logShippingLines, ...this.userLines, ...this.agentStartLines];
    switch (this.format) {
      case 'shell': return [...SHELL_PROLOGUE, ...lines].join('\n');
      case 'toml': return lines.join('\n');
      case 'powershell': return ['<powershell>', ...POWERSHELL_PROLOGUE, ...lines, ...POWERSHELL_EPILOGUE, '</powershell>'].join('\n');
    }
  }

  public addOnExitCommands(): void {
    throw new Error('container instance user data has no on-exit commands; add commands with addCommands()');
  }

  public addExecuteFileCommand(): void {
    throw new Error('container instance user data cannot execute files; add commands with addCommands()');
  }

  public addS3DownloadCommand(): string {
    throw new Error('container instance user data cannot download from S3; use `agentSettings.configFile` for agent settings');
  }

  public addSignalOnExitCommand(): void {
    throw new Error('container instance user data sends no CloudFormation signals');
  }
}
