import { ArnFormat, CustomResource, Duration, Stack } from 'aws-cdk-lib';
import * as autoscaling from 'aws-cdk-lib/aws-autoscaling';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as kms from 'aws-cdk-lib/aws-kms';
import * as lambda from 'aws-cdk-lib/aws-lambda';
import { Construct } from 'constructs';
import { InlineFunction } from './inline-function';
import { acknowledgeNagRule, resourceFindingSuffix } from './nag';

/**
 * The custom resource handler (CommonJS, Node.js 24 runtime, AWS SDK v3 from the runtime).
 *
 * - Create and Update do nothing and answer SUCCESS, with the group's name as the physical id.
 * - Delete turns off `NewInstancesProtectedFromScaleIn`, then removes scale-in protection from every protected
 *   instance that is not already terminating, 50 instances per `SetInstanceProtection` call (the API's limit).
 *   A group that no longer exists is a success; any other error answers FAILED with its message, and so does
 *   running out of time (10 seconds before the function's timeout), so CloudFormation never waits for an
 *   answer that does not come.
 *
 * It answers CloudFormation exactly once per invocation, with an HTTPS PUT to the pre-signed `ResponseURL`.
 * If that PUT itself fails, the invocation fails and Lambda retries it; every step is idempotent.
 */
export const SCALE_IN_PROTECTION_RELEASE_HANDLER = `const https = require('https');
const as = require('@aws-sdk/client-auto-scaling');
const client = new as.AutoScalingClient({});
const log = (message, fields) => console.log(JSON.stringify(Object.assign({ message }, fields)));

async function release(name) {
  await client.send(new as.UpdateAutoScalingGroupCommand({ AutoScalingGroupName: name, NewInstancesProtectedFromScaleIn: false }));
  const ids = [];
  let token;
  do {
    const page = await client.send(new as.DescribeAutoScalingGroupsCommand({ AutoScalingGroupNames: [name], NextToken: token }));
    for (const group of page.AutoScalingGroups || []) {
      for (const i of group.Instances || []) {
        if (i.ProtectedFromScaleIn && !/^Terminat/.test(i.LifecycleState || '')) ids.push(i.InstanceId);
      }
    }
    token = page.NextToken;
  } while (token);
  for (let n = 0; n < ids.length; n += 50) {
    const batch = ids.slice(n, n + 50);
    await client.send(new as.SetInstanceProtectionCommand({ AutoScalingGroupName: name, InstanceIds: batch, ProtectedFromScaleIn: false }));
    log('released', { autoScalingGroupName: name, instanceIds: batch });
  }
  return ids.length;
}

function respond(event, body) {
  const data = JSON.stringify(Object.assign({
    StackId: event.StackId, RequestId: event.RequestId, LogicalResourceId: event.LogicalResourceId, Data: {},
  }, body));
  return new Promise((resolve, reject) => {
    const req = https.request(event.ResponseURL, {
      method: 'PUT', headers: { 'content-type': '', 'content-length': Buffer.byteLength(data) },
    }, (res) => { res.resume(); resolve(res.statusCode); });
    req.on('error', reject);
    req.end(data);
  });
}

exports.handler = async (event, context) => {
  const name = (event.ResourceProperties || {}).AutoScalingGroupName;
  const physicalId = event.RequestType === 'Delete' ? event.PhysicalResourceId : name;
  log('request', { requestType: event.RequestType, autoScalingGroupName: name });
  let body = { Status: 'SUCCESS', PhysicalResourceId: physicalId };
  let timer;
  try {
    if (event.RequestType === 'Delete') {
      const timeout = new Promise((_, reject) => {
        timer = setTimeout(() => reject(new Error('timed out releasing scale-in protection of ' + name)),
          Math.max(context.getRemainingTimeInMillis() - 10000, 0));
      });
      const count = await Promise.race([release(name), timeout]);
      log('done', { autoScalingGroupName: name, releasedInstances: count });
    }
  } catch (error) {
    if (error.name === 'ValidationError' && /not found/i.test(error.message)) {
      log('gone', { autoScalingGroupName: name, error: error.message });
    } else {
      log('failed', { autoScalingGroupName: name, error: error.name + ': ' + error.message });
      body = { Status: 'FAILED', PhysicalResourceId: physicalId, Reason: error.message || String(error) };
    }
  } finally {
    clearTimeout(timer);
  }
  const statusCode = await respond(event, body);
  log('responded', { status: body.Status, statusCode });
};
`;

/** Properties of a `ScaleInProtectionRelease`. */
export interface ScaleInProtectionReleaseProps {
  /** The Auto Scaling group whose instances must lose their scale-in protection before it is deleted. */
  readonly autoScalingGroup: autoscaling.AutoScalingGroup;

  /**
   * A KMS key to encrypt the function's log group with (see `InlineFunctionProps.logEncryptionKey`).
   *
   * @default - the log group is encrypted by CloudWatch Logs with its own keys
   */
  readonly logEncryptionKey?: kms.IKey;
}

/**
 * Removes scale-in protection from an Auto Scaling group's instances when the stack deletes the group.
 *
 * An ECS capacity provider with managed termination protection sets `NewInstancesProtectedFromScaleIn` on its
 * group, and the group's deletion then hangs for hours before it fails (aws/aws-cdk#14732, #18179). This custom
 * resource depends on the group, so CloudFormation deletes it first; its Delete handler turns the protection
 * off. The caller makes the capacity provider depend on this construct, so deletion runs: capacity provider,
 * this custom resource, Auto Scaling group.
 *
 * Internal: created by `Ec2Capacity`.
 */
export class ScaleInProtectionRelease extends Construct {
  /** The custom resource (`Custom::ScaleInProtectionRelease`). */
  public readonly customResource: CustomResource;
  /** The function that handles the custom resource's requests. */
  public readonly function: lambda.Function;

  constructor(scope: Construct, id: string, props: ScaleInProtectionReleaseProps) {
    super(scope, id);
    const autoScalingGroup = props.autoScalingGroup;

    const handler = new InlineFunction(this, 'Function', {
      code: SCALE_IN_PROTECTION_RELEASE_HANDLER,
      description: 'Removes scale-in protection from an Auto Scaling group\'s instances before CloudFormation deletes the group',
      // headroom for throttled API calls on large groups; the handler answers FAILED 10 seconds before this
      timeout: Duration.minutes(5),
      logEncryptionKey: props.logEncryptionKey,
    });
    this.function = handler.function;

    // An Auto Scaling group's ARN contains a generated id that CloudFormation does not return: match it by name.
    const groupArn = Stack.of(autoScalingGroup).formatArn({
      service: 'autoscaling',
      resource: 'autoScalingGroup',
      resourceName: `*:autoScalingGroupName/${autoScalingGroup.autoScalingGroupName}`,
      arnFormat: ArnFormat.COLON_RESOURCE_NAME,
    });
    handler.role.addToPrincipalPolicy(new iam.PolicyStatement({
      sid: 'ReleaseThisGroup',
      actions: ['autoscaling:UpdateAutoScalingGroup', 'autoscaling:SetInstanceProtection'],
      resources: [groupArn],
    }));
    handler.role.addToPrincipalPolicy(new iam.PolicyStatement({
      sid: 'DescribeGroups',
      actions: ['autoscaling:DescribeAutoScalingGroups'],
      resources: ['*'],
    }));
    acknowledgeNagRule(handler.role, 'SCALE_IN_PROTECTION_RELEASE_GROUP_ACCESS', '[Resource::*]');
    acknowledgeNagRule(handler.role, 'SCALE_IN_PROTECTION_RELEASE_GROUP_ACCESS', resourceFindingSuffix(handler.role, groupArn));

    this.customResource = new CustomResource(this, 'Resource', {
      resourceType: 'Custom::ScaleInProtectionRelease',
      serviceToken: this.function.functionArn,
      properties: { AutoScalingGroupName: autoScalingGroup.autoScalingGroupName },
    });
    // deleted before the group, so the protection is gone when CloudFormation deletes the group
    this.customResource.node.addDependency(autoScalingGroup.node.defaultChild ?? autoScalingGroup);
  }
}
