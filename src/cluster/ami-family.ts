/**
 * The ECS-optimized AMI family of a capacity's container instances. Each family is read from its public SSM
 * parameter, so no account lookup happens at synth.
 *
 * @see https://docs.aws.amazon.com/AmazonECS/latest/developerguide/retrieve-ecs-optimized_AMI.html
 */
export enum AmiFamily {
  /** Amazon Linux 2023 for x86_64 instance types (`/aws/service/ecs/optimized-ami/amazon-linux-2023/recommended/image_id`). */
  AMAZON_LINUX_2023 = 'AMAZON_LINUX_2023',
  /** Amazon Linux 2023 for arm64 (Graviton) instance types (`/aws/service/ecs/optimized-ami/amazon-linux-2023/arm64/recommended/image_id`). */
  AMAZON_LINUX_2023_ARM64 = 'AMAZON_LINUX_2023_ARM64',
  /** Bottlerocket `aws-ecs-2` for x86_64 instance types (`/aws/service/bottlerocket/aws-ecs-2/x86_64/latest/image_id`). */
  BOTTLEROCKET = 'BOTTLEROCKET',
  /** Bottlerocket `aws-ecs-2` for arm64 (Graviton) instance types (`/aws/service/bottlerocket/aws-ecs-2/arm64/latest/image_id`). */
  BOTTLEROCKET_ARM64 = 'BOTTLEROCKET_ARM64',
  /** Windows Server 2022 Full, ECS-optimized (`/aws/service/ami-windows-latest/Windows_Server-2022-English-Full-ECS_Optimized/image_id`). */
  WINDOWS_SERVER_2022_FULL = 'WINDOWS_SERVER_2022_FULL',
  /** Windows Server 2022 Core, ECS-optimized (`/aws/service/ami-windows-latest/Windows_Server-2022-English-Core-ECS_Optimized/image_id`). */
  WINDOWS_SERVER_2022_CORE = 'WINDOWS_SERVER_2022_CORE',
}

/**
 * When the AMI id is read from its SSM parameter.
 */
export enum AmiResolution {
  /**
   * At each deployment: the launch template pins the AMI of the deployment, and a deployment that finds a new
   * AMI replaces the instances with a rolling update. Predictable: every instance runs the AMI last deployed.
   */
  DEPLOY_TIME = 'DEPLOY_TIME',
  /**
   * At each instance launch (the launch template names the parameter, `resolve:ssm:...`): every new instance,
   * including those of an instance refresh started by `AmiUpdateAlerts`, runs the newest AMI without a deployment.
   */
  LAUNCH_TIME = 'LAUNCH_TIME',
}
