import * as ec2 from 'aws-cdk-lib/aws-ec2';

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

  /** Sets the agent configuration, rendered before any other command. */
  public setAgentConfiguration(lines: string[]): void {
    this.agentLines.splice(0, this.agentLines.length, ...lines);
  }

  /** Sets the commands that ship the instance's logs, rendered after the agent configuration. */
  public setLogShipping(lines: string[]): void {
    this.logShippingLines.splice(0, this.logShippingLines.length, ...lines);
  }

  public addCommands(...commands: string[]): void {
    if (!this.ignoring) this.userLines.push(...commands);
  }

  public render(): string {
    const lines = [...this.agentLines, ...this.logShippingLines, ...this.userLines];
    switch (this.format) {
      case 'shell': return ['#!/bin/bash', ...lines].join('\n');
      case 'toml': return lines.join('\n');
      case 'powershell': return ['<powershell>', ...lines, '</powershell>'].join('\n');
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
