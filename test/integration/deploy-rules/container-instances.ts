/**
 * What the deploy rules about container instances read from a template: each launch template's user data (decoded,
 * tokens written as placeholders), its AMI family (from the SSM parameter of its image id) and the IAM actions its
 * instance role is allowed (launch template → instance profile → role → the AWS::IAM::Policy resources on it).
 */
import { DeployApp, DeployStack, resourcesOf, TemplateResource } from './deploy-rule';

/** The AMI family of a launch template, by the SSM parameter path of its image. */
export type UserDataFamily = 'al2023' | 'bottlerocket' | 'windows' | 'unknown';

/** A launch template, with what the rules need of it. */
export interface LaunchTemplateFacts {
  readonly stack: DeployStack;
  readonly logicalId: string;
  readonly family: UserDataFamily;
  /** The SSM parameter of the image, if any. */
  readonly imageParameter?: string;
  /** The decoded user data; a token is written `<Ref:X>` or `<X.Attr>`. */
  readonly userData: string;
  /** The actions the instance role is allowed, by Allow statements of its policies. */
  readonly allowedActions: Set<string>;
}

/** The text of a token, for user data. */
function placeholder(value: unknown): string {
  if (typeof value === 'string') return value;
  const node = value as Record<string, any>;
  if (node?.Ref) return `<Ref:${node.Ref}>`;
  if (node?.['Fn::GetAtt']) return `<${[node['Fn::GetAtt']].flat().join('.')}>`;
  if (node?.['Fn::Join']) return (node['Fn::Join'][1] as unknown[]).map(placeholder).join(node['Fn::Join'][0]);
  return `<${JSON.stringify(value)}>`;
}

/** The user data of a launch template, decoded. */
export function decodeUserData(userData: unknown): string {
  if (userData === undefined) return '';
  const base64 = (userData as Record<string, unknown>)['Fn::Base64'];
  if (base64 !== undefined) return placeholder(base64);
  return typeof userData === 'string' ? Buffer.from(userData, 'base64').toString('utf8') : placeholder(userData);
}

/** The AMI family of an SSM parameter path. */
export function familyOf(parameter: string | undefined): UserDataFamily {
  if (!parameter) return 'unknown';
  if (parameter.startsWith('/aws/service/ecs/optimized-ami/amazon-linux-2023')) return 'al2023';
  if (parameter.startsWith('/aws/service/bottlerocket/')) return 'bottlerocket';
  if (parameter.startsWith('/aws/service/ami-windows-latest/')) return 'windows';
  return 'unknown';
}

function imageParameter(stack: DeployStack, imageId: unknown): string | undefined {
  if (typeof imageId === 'string') return imageId.startsWith('resolve:ssm:') ? imageId.slice('resolve:ssm:'.length) : undefined;
  const ref = (imageId as Record<string, unknown> | undefined)?.Ref;
  const parameter = typeof ref === 'string' ? stack.template.Parameters?.[ref] : undefined;
  return parameter && String(parameter.Type).startsWith('AWS::SSM::Parameter::Value') ? parameter.Default : undefined;
}

function logicalIdOf(value: unknown): string | undefined {
  const node = value as Record<string, any> | undefined;
  if (typeof node?.Ref === 'string') return node.Ref;
  if (Array.isArray(node?.['Fn::GetAtt'])) return node['Fn::GetAtt'][0];
  return undefined;
}

/** The actions that the Allow statements of the policies attached to `roleId` in `stack` grant. */
export function allowedActionsOf(stack: DeployStack, roleId: string | undefined): Set<string> {
  const actions = new Set<string>();
  if (!roleId) return actions;
  const resources = stack.template.Resources ?? {};
  const documents: unknown[] = [];
  for (const resource of Object.values(resources)) {
    if (resource.Type !== 'AWS::IAM::Policy') continue;
    if ((resource.Properties?.Roles ?? []).some((role: unknown) => logicalIdOf(role) === roleId)) documents.push(resource.Properties?.PolicyDocument);
  }
  for (const policy of resources[roleId]?.Properties?.Policies ?? []) documents.push(policy.PolicyDocument);
  for (const document of documents) {
    for (const statement of (document as { Statement?: any[] })?.Statement ?? []) {
      if (statement.Effect !== 'Allow') continue;
      for (const action of [statement.Action].flat()) if (typeof action === 'string') actions.add(action);
    }
  }
  return actions;
}

/** Whether `actions` (which may hold wildcards such as `ecs:*`) allow `action`. */
export function allows(actions: Set<string>, action: string): boolean {
  for (const granted of actions) {
    const pattern = new RegExp(`^${granted.replace(/[.+?^${}()|[\]\\]/g, '\\$&').replace(/\*/g, '.*')}$`, 'i');
    if (pattern.test(action)) return true;
  }
  return false;
}

/** Every launch template of `app`. */
export function launchTemplatesOf(app: DeployApp): LaunchTemplateFacts[] {
  return [...resourcesOf(app, 'AWS::EC2::LaunchTemplate')].map(({ stack, logicalId, resource }) => {
    const data = (resource as TemplateResource).Properties?.LaunchTemplateData ?? {};
    const parameter = imageParameter(stack, data.ImageId);
    const profileId = logicalIdOf(data.IamInstanceProfile?.Arn) ?? logicalIdOf(data.IamInstanceProfile?.Name);
    const profile = profileId ? stack.template.Resources?.[profileId] : undefined;
    const roleId = logicalIdOf((profile?.Properties?.Roles ?? [])[0]);
    return {
      stack,
      logicalId,
      family: familyOf(parameter),
      imageParameter: parameter,
      userData: decodeUserData(data.UserData),
      allowedActions: allowedActionsOf(stack, roleId),
    };
  });
}
