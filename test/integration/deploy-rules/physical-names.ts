import { DeployRule, DeployStack, resourcesOf, where } from './deploy-rule';

/** What a service accepts as the physical name of a resource type. */
interface NameRule {
  /** The property that holds the name. */
  readonly property: string;
  readonly maxLength: number;
  /** The whole name, character set and shape, checked when every part of the name is known at synth. */
  readonly pattern: RegExp;
  /** The characters a name may hold, checked on the parts known at synth. */
  readonly characters: RegExp;
  /** Names that must not begin so, in any case. */
  readonly reservedPrefix?: RegExp;
  /** Where the service documents it. */
  readonly doc: string;
}

/** The naming rules of the named resource types the library emits, or lets a user name (capacity providers: names-ecs.ts). */
export const NAME_RULES: Record<string, NameRule> = {
  'AWS::Logs::LogGroup': {
    property: 'LogGroupName',
    maxLength: 512,
    pattern: /^[.\-_/#A-Za-z0-9]+$/,
    characters: /^[.\-_/#A-Za-z0-9]*$/,
    reservedPrefix: /^aws\/(?!$)/,
    doc: 'https://docs.aws.amazon.com/AmazonCloudWatchLogs/latest/APIReference/API_CreateLogGroup.html',
  },
  'AWS::ECR::Repository': {
    property: 'RepositoryName',
    maxLength: 256,
    pattern: /^(?:[a-z0-9]+(?:[._-][a-z0-9]+)*\/)*[a-z0-9]+(?:[._-][a-z0-9]+)*$/,
    characters: /^[a-z0-9._/-]*$/,
    doc: 'https://docs.aws.amazon.com/AmazonECR/latest/APIReference/API_CreateRepository.html',
  },
  'AWS::ECS::Cluster': {
    property: 'ClusterName',
    maxLength: 255,
    pattern: /^[A-Za-z0-9_-]+$/,
    characters: /^[A-Za-z0-9_-]*$/,
    doc: 'https://docs.aws.amazon.com/AmazonECS/latest/APIReference/API_CreateCluster.html',
  },
  'AWS::ECS::Service': {
    property: 'ServiceName',
    maxLength: 255,
    pattern: /^[A-Za-z0-9_-]+$/,
    characters: /^[A-Za-z0-9_-]*$/,
    doc: 'https://docs.aws.amazon.com/AmazonECS/latest/APIReference/API_CreateService.html',
  },
  'AWS::ECS::TaskDefinition': {
    property: 'Family',
    maxLength: 255,
    pattern: /^[A-Za-z0-9_-]+$/,
    characters: /^[A-Za-z0-9_-]*$/,
    doc: 'https://docs.aws.amazon.com/AmazonECS/latest/APIReference/API_RegisterTaskDefinition.html',
  },
  'AWS::ElasticLoadBalancingV2::LoadBalancer': {
    property: 'Name',
    maxLength: 32,
    pattern: /^[A-Za-z0-9](?:[A-Za-z0-9-]*[A-Za-z0-9])?$/,
    characters: /^[A-Za-z0-9-]*$/,
    reservedPrefix: /^internal-/i,
    doc: 'https://docs.aws.amazon.com/elasticloadbalancing/latest/APIReference/API_CreateLoadBalancer.html',
  },
  'AWS::ElasticLoadBalancingV2::TargetGroup': {
    property: 'Name',
    maxLength: 32,
    pattern: /^[A-Za-z0-9](?:[A-Za-z0-9-]*[A-Za-z0-9])?$/,
    characters: /^[A-Za-z0-9-]*$/,
    doc: 'https://docs.aws.amazon.com/elasticloadbalancing/latest/APIReference/API_CreateTargetGroup.html',
  },
  'AWS::IAM::Role': {
    property: 'RoleName',
    maxLength: 64,
    pattern: /^[\w+=,.@-]+$/,
    characters: /^[\w+=,.@-]*$/,
    doc: 'https://docs.aws.amazon.com/IAM/latest/APIReference/API_CreateRole.html',
  },
  'AWS::SQS::Queue': {
    property: 'QueueName',
    maxLength: 80,
    pattern: /^[A-Za-z0-9_-]+(\.fifo)?$/,
    characters: /^[A-Za-z0-9_.-]*$/,
    doc: 'https://docs.aws.amazon.com/AWSSimpleQueueService/latest/APIReference/API_CreateQueue.html',
  },
  'AWS::SNS::Topic': {
    property: 'TopicName',
    maxLength: 256,
    pattern: /^[A-Za-z0-9_-]+(\.fifo)?$/,
    characters: /^[A-Za-z0-9_.-]*$/,
    doc: 'https://docs.aws.amazon.com/sns/latest/api/API_CreateTopic.html',
  },
  'AWS::Scheduler::Schedule': {
    property: 'Name',
    maxLength: 64,
    pattern: /^[0-9a-zA-Z\-_.]+$/,
    characters: /^[0-9a-zA-Z\-_.]*$/,
    doc: 'https://docs.aws.amazon.com/scheduler/latest/APIReference/API_CreateSchedule.html',
  },
  'AWS::Events::Rule': {
    property: 'Name',
    maxLength: 64,
    pattern: /^[.\-_A-Za-z0-9]+$/,
    characters: /^[.\-_A-Za-z0-9]*$/,
    doc: 'https://docs.aws.amazon.com/eventbridge/latest/APIReference/API_PutRule.html',
  },
  'AWS::WAFv2::WebACL': {
    property: 'Name',
    maxLength: 128,
    pattern: /^[\w-]+$/,
    characters: /^[\w-]*$/,
    doc: 'https://docs.aws.amazon.com/waf/latest/APIReference/API_CreateWebACL.html',
  },
  'AWS::CloudWatch::Dashboard': {
    property: 'DashboardName',
    maxLength: 255,
    pattern: /^[A-Za-z0-9_-]+$/,
    characters: /^[A-Za-z0-9_-]*$/,
    doc: 'https://docs.aws.amazon.com/AmazonCloudWatch/latest/APIReference/API_PutDashboard.html',
  },
  'AWS::S3::Bucket': {
    property: 'BucketName',
    maxLength: 63,
    pattern: /^[a-z0-9][a-z0-9.-]{1,61}[a-z0-9]$/,
    characters: /^[a-z0-9.-]*$/,
    reservedPrefix: /^(xn--|sthree-|amzn-s3-demo-)/,
    doc: 'https://docs.aws.amazon.com/AmazonS3/latest/userguide/bucketnamingrules.html',
  },
  'AWS::ServiceDiscovery::HttpNamespace': {
    property: 'Name',
    maxLength: 1024,
    pattern: /^[!-~]+$/,
    characters: /^[!-~]*$/,
    doc: 'https://docs.aws.amazon.com/cloud-map/latest/api/API_CreateHttpNamespace.html',
  },
};

/** A name as CloudFormation will make it: known characters, and how many characters it has at the most. */
interface RenderedName {
  /** The name, with each part known only at deploy time as `\u0000` repeated to its longest. */
  readonly text: string;
  /** Whether every part's length is known (else `text` has the known parts only). */
  readonly complete: boolean;
}

/** The longest values of the pseudo parameters, and of the stack instance id (a UUID). */
const LONGEST: Record<string, number> = { 'AWS::Region': 14, 'AWS::AccountId': 12, 'AWS::Partition': 10, 'AWS::URLSuffix': 16 };
const UNKNOWN = '\u0000';

/** Renders a name of `stack`'s template: literals as they are, the stack name, pseudo parameters at their longest. */
function render(value: unknown, stack: DeployStack): RenderedName {
  if (typeof value === 'string') return { text: value, complete: true };
  const node = value as Record<string, any>;
  if (node.Ref === 'AWS::StackName') return { text: stack.stackName, complete: true };
  if (typeof node.Ref === 'string' && LONGEST[node.Ref]) return { text: UNKNOWN.repeat(LONGEST[node.Ref]), complete: true };
  const select = node['Fn::Select'];
  if (Array.isArray(select) && JSON.stringify(select[1]).includes('"AWS::StackId"')) return { text: UNKNOWN.repeat(36), complete: true };
  const join = node['Fn::Join'];
  if (Array.isArray(join)) {
    const parts = (join[1] as unknown[]).map((part) => render(part, stack));
    return { text: parts.map((part) => part.text).join(join[0]), complete: parts.every((part) => part.complete) };
  }
  return { text: UNKNOWN, complete: false };
}

/**
 * Every physical name the stacks give is one its service accepts: its characters, its length and its first letters.
 * The CloudFormation schema checks few of these; the service refuses the create. Names CloudFormation generates from
 * the stack name are its own business, except a capacity provider's (`names-ecs.ts`).
 */
export const PHYSICAL_NAMES: DeployRule = {
  id: 'physical-names-accepted',
  description: 'every physical name is one its service accepts: character set, length, reserved prefixes, case',
  docs: [...new Set(Object.values(NAME_RULES).map((rule) => rule.doc)), 'https://docs.aws.amazon.com/waf/latest/developerguide/logging-cw-logs.html'],
  check(app) {
    const violations: string[] = [];
    for (const { stack, logicalId, resource } of resourcesOf(app)) {
      const rule = NAME_RULES[resource.Type];
      const value = rule ? resource.Properties?.[rule.property] : undefined;
      if (!rule || value === undefined) continue;
      const name = render(value, stack);
      const known = name.text.split(UNKNOWN).filter((part) => part.length > 0);
      const problems = [
        ...known.some((part) => !rule.characters.test(part)) ? [`characters outside ${rule.characters}`] : [],
        ...!name.text.includes(UNKNOWN) && !rule.pattern.test(name.text) ? [`not the form ${rule.pattern}`] : [],
        ...name.complete && name.text.length > rule.maxLength ? [`up to ${name.text.length} characters, over ${rule.maxLength}`] : [],
        ...rule.reservedPrefix && !name.text.startsWith(UNKNOWN) && rule.reservedPrefix.test(name.text) ? [`a reserved prefix (${rule.reservedPrefix})`] : [],
      ];
      for (const problem of problems) violations.push(`${where(stack, logicalId, resource)} ${rule.property} ${JSON.stringify(value)} has ${problem}`);
    }
    // WAF logs only to log groups whose name begins aws-waf-logs-
    for (const { stack, logicalId, resource } of resourcesOf(app, 'AWS::WAFv2::LoggingConfiguration')) {
      for (const destination of resource.Properties?.LogDestinationConfigs ?? []) {
        const arn = render(destination, stack).text;
        const logGroup = /:log-group:(.*)$/.exec(arn)?.[1];
        const referenced = JSON.stringify(destination).match(/"Ref":"([A-Za-z0-9]+)"/g)?.map((ref) => ref.slice(7, -1))
          .map((id) => stack.template.Resources?.[id]).find((candidate) => candidate?.Type === 'AWS::Logs::LogGroup');
        const name = logGroup && !logGroup.startsWith(UNKNOWN) ? logGroup : referenced && render(referenced.Properties?.LogGroupName, stack).text;
        if (name && !name.startsWith(UNKNOWN) && !name.startsWith('aws-waf-logs-')) {
          violations.push(`${where(stack, logicalId, resource)} logs to a log group whose name does not begin with aws-waf-logs-`);
        }
      }
    }
    return violations;
  },
};
