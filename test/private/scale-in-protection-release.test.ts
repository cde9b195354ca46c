import * as vm from 'vm';
import { App, CfnElement, Stack } from 'aws-cdk-lib';
import { Match, Template } from 'aws-cdk-lib/assertions';
import * as autoscaling from 'aws-cdk-lib/aws-autoscaling';
import * as ec2 from 'aws-cdk-lib/aws-ec2';
import * as kms from 'aws-cdk-lib/aws-kms';
import { SCALE_IN_PROTECTION_RELEASE_HANDLER, ScaleInProtectionRelease } from '../../src/private/scale-in-protection-release';
import { nagFindings, testStack, testVpc } from '../util';

/** A minimal Auto Scaling group with scale-in protection, as an ECS capacity provider leaves it. */
function autoScalingGroupFixture(stack: Stack): autoscaling.AutoScalingGroup {
  const launchTemplate = new ec2.LaunchTemplate(stack, 'LaunchTemplate', {
    machineImage: ec2.MachineImage.genericLinux({ 'us-east-1': 'ami-12345678' }),
    instanceType: new ec2.InstanceType('t3.micro'),
  });
  return new autoscaling.AutoScalingGroup(stack, 'Asg', {
    vpc: testVpc(stack), launchTemplate, newInstancesProtectedFromScaleIn: true,
  });
}

function logicalId(stack: Stack, construct: { node: { defaultChild?: unknown } }): string {
  return stack.getLogicalId(construct.node.defaultChild as CfnElement);
}

// ---- in-process execution of the handler code ----

interface SdkCall { readonly command: string; readonly input: any }
interface Harness {
  readonly handler: (event: any, context: any) => Promise<void>;
  readonly calls: SdkCall[];
  readonly responses: { url: string; options: any; body: any }[];
  readonly logs: any[];
}

/**
 * Loads the handler code in a fresh VM context, with `@aws-sdk/client-auto-scaling` and `https` mocked:
 * `send(command, input)` answers the SDK calls, and every HTTPS request is recorded as a CloudFormation response.
 */
function loadHandler(send: (command: string, input: any) => unknown, putError?: Error): Harness {
  const calls: SdkCall[] = [];
  const responses: Harness['responses'] = [];
  const logs: any[] = [];
  const command = (name: string) => ({
    [name]: class {
      public readonly name = name;
      constructor(public readonly input: any) {}
    },
  })[name];
  const sdk = {
    AutoScalingClient: class {
      public async send(cmd: { name: string; input: any }) {
        calls.push({ command: cmd.name, input: cmd.input });
        return send(cmd.name, cmd.input);
      }
    },
    UpdateAutoScalingGroupCommand: command('UpdateAutoScalingGroup'),
    DescribeAutoScalingGroupsCommand: command('DescribeAutoScalingGroups'),
    SetInstanceProtectionCommand: command('SetInstanceProtection'),
  };
  const https = {
    request: (url: string, options: any, callback: (res: unknown) => void) => {
      const handlers: { [name: string]: (error: Error) => void } = {};
      return {
        on: (name: string, fn: (error: Error) => void) => { handlers[name] = fn; },
        end: (body: string) => {
          responses.push({ url, options, body: JSON.parse(body) });
          setImmediate(() => (putError ? handlers.error(putError) : callback({ statusCode: 200, resume: () => undefined })));
        },
      };
    },
  };
  const modules: { [name: string]: unknown } = { 'https': https, '@aws-sdk/client-auto-scaling': sdk };
  const module = { exports: {} as any };
  vm.runInNewContext(SCALE_IN_PROTECTION_RELEASE_HANDLER, {
    require: (name: string) => {
      if (!(name in modules)) throw new Error(`unexpected require: ${name}`);
      return modules[name];
    },
    module,
    exports: module.exports,
    console: { log: (line: string) => logs.push(JSON.parse(line)) },
    Buffer,
    setTimeout,
    clearTimeout,
  });
  return { handler: module.exports.handler, calls, responses, logs };
}

const CONTEXT = { getRemainingTimeInMillis: () => 300_000, logStreamName: 'stream' };

function event(requestType: 'Create' | 'Update' | 'Delete', extra: object = {}) {
  return {
    RequestType: requestType,
    ResponseURL: 'https://cloudformation-custom-resource-response.s3.amazonaws.com/signed?x=1',
    StackId: 'arn:aws:cloudformation:us-east-1:123456789012:stack/s/1',
    RequestId: 'request-1',
    LogicalResourceId: 'Release',
    ResourceType: 'Custom::ScaleInProtectionRelease',
    ResourceProperties: { ServiceToken: 'arn:fn', AutoScalingGroupName: 'my-asg' },
    ...(requestType === 'Create' ? {} : { PhysicalResourceId: 'my-asg' }),
    ...extra,
  };
}

function instances(from: number, to: number, protect: (n: number) => boolean = () => true) {
  const result = [];
  for (let n = from; n <= to; n++) {
    result.push({ InstanceId: `i-${n}`, LifecycleState: 'InService', ProtectedFromScaleIn: protect(n) });
  }
  return result;
}

/** An SDK mock for a group whose instances come in the given describe pages. */
function groupWithPages(...pages: object[][]) {
  return (command: string, input: any) => {
    if (command !== 'DescribeAutoScalingGroups') return {};
    const index = input.NextToken === undefined ? 0 : Number(input.NextToken);
    return {
      AutoScalingGroups: [{ AutoScalingGroupName: 'my-asg', Instances: pages[index] }],
      NextToken: index + 1 < pages.length ? String(index + 1) : undefined,
    };
  };
}

function notFound(): Error {
  const error = new Error('AutoScalingGroup name not found - AutoScalingGroup my-asg not found');
  error.name = 'ValidationError';
  return error;
}

const protectionCalls = (harness: Harness) => harness.calls.filter((call) => call.command === 'SetInstanceProtection');

describe('ScaleInProtectionRelease', () => {
  let stack: Stack;
  let asg: autoscaling.AutoScalingGroup;
  beforeEach(() => {
    stack = testStack();
    asg = autoScalingGroupFixture(stack);
  });

  describe('defaults', () => {
    test('creates one custom resource with the group name, served by its function', () => {
      const release = new ScaleInProtectionRelease(stack, 'Release', { autoScalingGroup: asg });
      const template = Template.fromStack(stack);
      template.resourceCountIs('Custom::ScaleInProtectionRelease', 1);
      template.resourceCountIs('AWS::Lambda::Function', 1);
      template.hasResourceProperties('Custom::ScaleInProtectionRelease', {
        ServiceToken: { 'Fn::GetAtt': [logicalId(stack, release.function), 'Arn'] },
        AutoScalingGroupName: { Ref: logicalId(stack, asg) },
      });
    });

    test('depends on the Auto Scaling group, so it is deleted first', () => {
      const release = new ScaleInProtectionRelease(stack, 'Release', { autoScalingGroup: asg });
      const resource = Template.fromStack(stack).toJSON().Resources[logicalId(stack, release.customResource)];
      expect(resource.DependsOn).toContain(logicalId(stack, asg));
    });

    test('is deleted before whatever depends on it, such as the capacity provider', () => {
      const release = new ScaleInProtectionRelease(stack, 'Release', { autoScalingGroup: asg });
      const provider = new ec2.CfnEIP(stack, 'StandIn');
      provider.node.addDependency(release);
      const resources = Template.fromStack(stack).toJSON().Resources;
      expect(resources.StandIn.DependsOn).toContain(logicalId(stack, release.customResource));
    });

    test('runs the inline handler on nodejs24.x with a five-minute timeout', () => {
      new ScaleInProtectionRelease(stack, 'Release', { autoScalingGroup: asg });
      Template.fromStack(stack).hasResourceProperties('AWS::Lambda::Function', {
        Runtime: 'nodejs24.x',
        Handler: 'index.handler',
        Code: { ZipFile: SCALE_IN_PROTECTION_RELEASE_HANDLER },
        Timeout: 300,
      });
    });

    test('keeps the handler within the 4096 characters of an inline function', () => {
      expect(SCALE_IN_PROTECTION_RELEASE_HANDLER.length).toBeLessThanOrEqual(4096);
    });

    test('sends requests that failed every attempt to a dead-letter queue (CloudFormation invokes asynchronously)', () => {
      const release = new ScaleInProtectionRelease(stack, 'Release', { autoScalingGroup: asg });
      const queue = release.node.findChild('Function').node.findChild('DeadLetterQueue');
      Template.fromStack(stack).hasResourceProperties('AWS::Lambda::Function', {
        DeadLetterConfig: { TargetArn: { 'Fn::GetAtt': [logicalId(stack, queue), 'Arn'] } },
      });
    });

    test('leaves the function log group to CloudWatch Logs encryption', () => {
      new ScaleInProtectionRelease(stack, 'Release', { autoScalingGroup: asg });
      Template.fromStack(stack).hasResourceProperties('AWS::Logs::LogGroup', { KmsKeyId: Match.absent() });
    });
  });

  describe('configuration', () => {
    test('encrypts the function log group with the provided logEncryptionKey', () => {
      const key = new kms.Key(stack, 'LogsKey');
      new ScaleInProtectionRelease(stack, 'Release', { autoScalingGroup: asg, logEncryptionKey: key });
      Template.fromStack(stack).hasResourceProperties('AWS::Logs::LogGroup', {
        KmsKeyId: { 'Fn::GetAtt': [logicalId(stack, key), 'Arn'] },
      });
    });
  });

  describe('permissions', () => {
    function policyStatements(release: ScaleInProtectionRelease): unknown[] {
      const roleId = logicalId(stack, release.function.role!);
      const policies = Object.values(Template.fromStack(stack).findResources('AWS::IAM::Policy'))
        .filter((policy: any) => JSON.stringify(policy.Properties.Roles) === JSON.stringify([{ Ref: roleId }]));
      expect(policies).toHaveLength(1);
      return (policies[0] as any).Properties.PolicyDocument.Statement;
    }

    test('may update and unprotect this group only, by its name-based ARN, and describe groups', () => {
      const release = new ScaleInProtectionRelease(stack, 'Release', { autoScalingGroup: asg });
      const logGroupId = logicalId(stack, release.function.logGroup);
      expect(policyStatements(release)).toEqual([
        {
          Action: ['logs:CreateLogStream', 'logs:PutLogEvents'],
          Effect: 'Allow',
          Resource: { 'Fn::GetAtt': [logGroupId, 'Arn'] },
        },
        {
          Action: 'sqs:SendMessage',
          Effect: 'Allow',
          Resource: { 'Fn::GetAtt': [logicalId(stack, release.node.findChild('Function').node.findChild('DeadLetterQueue')), 'Arn'] },
        },
        {
          Sid: 'ReleaseThisGroup',
          Action: ['autoscaling:UpdateAutoScalingGroup', 'autoscaling:SetInstanceProtection'],
          Effect: 'Allow',
          Resource: {
            'Fn::Join': ['', [
              'arn:', { Ref: 'AWS::Partition' },
              ':autoscaling:us-east-1:123456789012:autoScalingGroup:*:autoScalingGroupName/',
              { Ref: logicalId(stack, asg) },
            ]],
          },
        },
        {
          Sid: 'DescribeGroups',
          Action: 'autoscaling:DescribeAutoScalingGroups',
          Effect: 'Allow',
          Resource: '*',
        },
      ]);
    });

    test('renders the group ARN with the stack\'s region and account when they are unknown', () => {
      const agnostic = new Stack(new App(), 'Agnostic');
      const group = autoScalingGroupFixture(agnostic);
      new ScaleInProtectionRelease(agnostic, 'Release', { autoScalingGroup: group });
      Template.fromStack(agnostic).hasResourceProperties('AWS::IAM::Policy', {
        PolicyDocument: {
          Statement: [
            {},
            {},
            {
              Sid: 'ReleaseThisGroup',
              Resource: {
                'Fn::Join': ['', [
                  'arn:', { Ref: 'AWS::Partition' }, ':autoscaling:', { Ref: 'AWS::Region' }, ':', { Ref: 'AWS::AccountId' },
                  ':autoScalingGroup:*:autoScalingGroupName/', { Ref: logicalId(agnostic, group) },
                ]],
              },
            },
            {},
          ],
        },
      });
    });
  });

  describe('cdk-nag', () => {
    test('has no AwsSolutions findings', () => {
      const release = new ScaleInProtectionRelease(stack, 'Release', { autoScalingGroup: asg });
      expect(nagFindings(release)).toEqual([]);
    });

    test('has no AwsSolutions findings in an environment-agnostic stack', () => {
      const agnostic = new Stack(new App(), 'Agnostic');
      const release = new ScaleInProtectionRelease(agnostic, 'Release', { autoScalingGroup: autoScalingGroupFixture(agnostic) });
      expect(nagFindings(release)).toEqual([]);
    });

    test('acknowledges exactly the two wildcard findings and the inline grant policy on the role', () => {
      const release = new ScaleInProtectionRelease(stack, 'Release', { autoScalingGroup: asg });
      const acknowledged = release.function.role!.node.metadata
        .filter((entry) => entry.type === 'aws:cdk:acknowledged-rules')
        .flatMap((entry) => Object.keys(entry.data));
      expect(acknowledged).toEqual([
        'Annotation::NIST.800.53.R5-IAMNoInlinePolicy',
        'Annotation::HIPAA.Security-IAMNoInlinePolicy',
        'Annotation::PCI.DSS.321-IAMNoInlinePolicy',
        'Annotation::AwsSolutions-IAM5[Resource::*]',
        `Annotation::AwsSolutions-IAM5[Resource::arn:<AWS::Partition>:autoscaling:us-east-1:123456789012:autoScalingGroup:*:autoScalingGroupName/<${logicalId(stack, asg)}>]`,
      ]);
    });
  });

  describe('handler', () => {
    test.each(['Create', 'Update'] as const)('answers SUCCESS to %s without calling AWS', async (requestType) => {
      const harness = loadHandler(() => { throw new Error('no call expected'); });
      await harness.handler(event(requestType), CONTEXT);
      expect(harness.calls).toEqual([]);
      expect(harness.responses).toHaveLength(1);
      expect(harness.responses[0].url).toBe(event(requestType).ResponseURL);
      expect(harness.responses[0].options).toMatchObject({ method: 'PUT', headers: { 'content-type': '' } });
      expect(harness.responses[0].body).toEqual({
        Status: 'SUCCESS',
        PhysicalResourceId: 'my-asg',
        StackId: 'arn:aws:cloudformation:us-east-1:123456789012:stack/s/1',
        RequestId: 'request-1',
        LogicalResourceId: 'Release',
        Data: {},
      });
    });

    test('answers Update with the new group name as the physical id', async () => {
      const harness = loadHandler(() => ({}));
      await harness.handler(event('Update', {
        PhysicalResourceId: 'old-asg',
        ResourceProperties: { ServiceToken: 'arn:fn', AutoScalingGroupName: 'new-asg' },
      }), CONTEXT);
      expect(harness.responses.map((response) => response.body.PhysicalResourceId)).toEqual(['new-asg']);
    });

    test('on Delete of a group without instances, turns off protection of new instances only', async () => {
      const harness = loadHandler(groupWithPages([]));
      await harness.handler(event('Delete'), CONTEXT);
      expect(harness.calls).toEqual([
        { command: 'UpdateAutoScalingGroup', input: { AutoScalingGroupName: 'my-asg', NewInstancesProtectedFromScaleIn: false } },
        { command: 'DescribeAutoScalingGroups', input: { AutoScalingGroupNames: ['my-asg'], NextToken: undefined } },
      ]);
      expect(harness.responses.map((response) => response.body)).toEqual([
        expect.objectContaining({ Status: 'SUCCESS', PhysicalResourceId: 'my-asg' }),
      ]);
    });

    test('on Delete, unprotects the protected instances of the group', async () => {
      const harness = loadHandler(groupWithPages(instances(1, 3)));
      await harness.handler(event('Delete'), CONTEXT);
      expect(protectionCalls(harness)).toEqual([{
        command: 'SetInstanceProtection',
        input: { AutoScalingGroupName: 'my-asg', InstanceIds: ['i-1', 'i-2', 'i-3'], ProtectedFromScaleIn: false },
      }]);
      expect(harness.responses.map((response) => response.body.Status)).toEqual(['SUCCESS']);
    });

    test('on Delete, pages through the group and unprotects in batches of at most 50', async () => {
      // 120 instances on two pages; every fourth one is not protected
      const unprotected = (n: number) => n % 4 === 0;
      const harness = loadHandler(groupWithPages(instances(1, 60, (n) => !unprotected(n)), instances(61, 120, (n) => !unprotected(n))));
      await harness.handler(event('Delete'), CONTEXT);

      const describes = harness.calls.filter((call) => call.command === 'DescribeAutoScalingGroups');
      expect(describes.map((call) => call.input.NextToken)).toEqual([undefined, '1']);
      const batches = protectionCalls(harness).map((call) => call.input.InstanceIds as string[]);
      expect(batches.map((batch) => batch.length)).toEqual([50, 40]);
      const expected = instances(1, 120).map((i) => i.InstanceId).filter((_, n) => !unprotected(n + 1));
      expect(batches.flat()).toEqual(expected);
      expect(harness.calls[0].command).toBe('UpdateAutoScalingGroup');
      expect(harness.responses.map((response) => response.body.Status)).toEqual(['SUCCESS']);
    });

    test('on Delete, leaves terminating instances alone', async () => {
      const harness = loadHandler(groupWithPages([
        { InstanceId: 'i-1', LifecycleState: 'Terminating:Wait', ProtectedFromScaleIn: true },
        { InstanceId: 'i-2', LifecycleState: 'Pending', ProtectedFromScaleIn: true },
      ]));
      await harness.handler(event('Delete'), CONTEXT);
      expect(protectionCalls(harness).map((call) => call.input.InstanceIds)).toEqual([['i-2']]);
    });

    test('answers SUCCESS to Delete when the group no longer exists', async () => {
      const harness = loadHandler(() => { throw notFound(); });
      await harness.handler(event('Delete'), CONTEXT);
      expect(harness.calls.map((call) => call.command)).toEqual(['UpdateAutoScalingGroup']);
      expect(harness.responses.map((response) => response.body)).toEqual([
        expect.objectContaining({ Status: 'SUCCESS', PhysicalResourceId: 'my-asg' }),
      ]);
    });

    test('answers FAILED with the error message when an API call fails', async () => {
      const harness = loadHandler((command) => {
        if (command === 'SetInstanceProtection') {
          const error = new Error('User is not authorized to perform: autoscaling:SetInstanceProtection');
          error.name = 'AccessDenied';
          throw error;
        }
        return groupWithPages(instances(1, 3))(command, {});
      });
      await harness.handler(event('Delete'), CONTEXT);
      expect(harness.responses.map((response) => response.body)).toEqual([expect.objectContaining({
        Status: 'FAILED',
        PhysicalResourceId: 'my-asg',
        Reason: 'User is not authorized to perform: autoscaling:SetInstanceProtection',
      })]);
      expect(harness.logs).toContainEqual(expect.objectContaining({
        message: 'failed', error: 'AccessDenied: User is not authorized to perform: autoscaling:SetInstanceProtection',
      }));
    });

    test('answers FAILED to a validation error other than a missing group', async () => {
      const harness = loadHandler(() => {
        const error = new Error('The instance i-1 is not part of Auto Scaling group my-asg');
        error.name = 'ValidationError';
        throw error;
      });
      await harness.handler(event('Delete'), CONTEXT);
      expect(harness.responses.map((response) => response.body.Status)).toEqual(['FAILED']);
    });

    test('answers FAILED, once, 10 seconds before the function would time out', async () => {
      const harness = loadHandler(() => new Promise(() => undefined));
      await harness.handler(event('Delete'), { ...CONTEXT, getRemainingTimeInMillis: () => 10_020 });
      expect(harness.responses.map((response) => response.body)).toEqual([expect.objectContaining({
        Status: 'FAILED', Reason: 'timed out releasing scale-in protection of my-asg',
      })]);
    });

    test('fails the invocation, so that Lambda retries it, when the response cannot be sent', async () => {
      const harness = loadHandler(() => ({}), new Error('socket hang up'));
      await expect(harness.handler(event('Create'), CONTEXT)).rejects.toThrow('socket hang up');
      expect(harness.responses).toHaveLength(1);
    });

    test('logs JSON lines', async () => {
      const harness = loadHandler(groupWithPages(instances(1, 3)));
      await harness.handler(event('Delete'), CONTEXT);
      expect(harness.logs.map((line) => line.message)).toEqual(['request', 'released', 'done', 'responded']);
      expect(harness.logs[1]).toEqual({ message: 'released', autoScalingGroupName: 'my-asg', instanceIds: ['i-1', 'i-2', 'i-3'] });
      expect(harness.logs[3]).toEqual({ message: 'responded', status: 'SUCCESS', statusCode: 200 });
    });
  });
});
