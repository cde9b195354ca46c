import { CfnElement, RemovalPolicy, Stack } from 'aws-cdk-lib';
import { Capture, Match, Template } from 'aws-cdk-lib/assertions';
import * as ecs from 'aws-cdk-lib/aws-ecs';
import * as iam from 'aws-cdk-lib/aws-iam';
import { ImageRepository } from '../../src';
import { nagFindings, testStack } from '../util';

/** The lifecycle rules of the only repository in the template, parsed. */
function lifecycleRules(template: Template): any[] {
  const text = new Capture();
  template.hasResourceProperties('AWS::ECR::Repository', { LifecyclePolicy: { LifecyclePolicyText: text } });
  return JSON.parse(text.asString()).rules;
}

function logicalId(element: unknown): string {
  const cfn = element as CfnElement;
  return cfn.stack.getLogicalId(cfn);
}

describe('ImageRepository', () => {
  describe('defaults', () => {
    let stack: Stack;
    let repository: ImageRepository;
    let template: Template;
    beforeAll(() => {
      stack = testStack();
      repository = new ImageRepository(stack, 'Repo');
      template = Template.fromStack(stack);
    });

    test('creates exactly one repository', () => {
      template.resourceCountIs('AWS::ECR::Repository', 1);
    });

    test('makes image tags immutable', () => {
      template.hasResourceProperties('AWS::ECR::Repository', { ImageTagMutability: 'IMMUTABLE' });
    });

    test('scans images on push', () => {
      template.hasResourceProperties('AWS::ECR::Repository', { ImageScanningConfiguration: { ScanOnPush: true } });
    });

    test('encrypts images with KMS', () => {
      template.hasResourceProperties('AWS::ECR::Repository', { EncryptionConfiguration: { EncryptionType: 'KMS' } });
    });

    test('lets CloudFormation name the repository', () => {
      template.hasResourceProperties('AWS::ECR::Repository', { RepositoryName: Match.absent() });
    });

    test('deletes untagged images 14 days after push, then keeps the 50 most recent images', () => {
      expect(lifecycleRules(template)).toEqual([
        {
          rulePriority: 1,
          description: 'Delete untagged images 14 days after push',
          selection: { tagStatus: 'untagged', countType: 'sinceImagePushed', countNumber: 14, countUnit: 'days' },
          action: { type: 'expire' },
        },
        {
          rulePriority: 2,
          description: 'Keep only the 50 most recent images',
          selection: { tagStatus: 'any', countType: 'imageCountMoreThan', countNumber: 50 },
          action: { type: 'expire' },
        },
      ]);
    });

    test('retains the repository', () => {
      template.hasResource('AWS::ECR::Repository', { DeletionPolicy: 'Retain', UpdateReplacePolicy: 'Retain' });
    });

    test('has no repository policy', () => {
      template.hasResourceProperties('AWS::ECR::Repository', { RepositoryPolicyText: Match.absent() });
    });

    test('makes the repository its default child, so it keeps a short logical id', () => {
      expect(repository.node.defaultChild).toBe(repository.repository);
      expect(repository.repository.node.path).toBe('TestStack/Repo/Resource');
      expect(logicalId(repository.repository.node.defaultChild)).toMatch(/^Repo[0-9A-F]{8}$/);
    });

    test('exposes the repository URI', () => {
      expect(stack.resolve(repository.repositoryUri)).toEqual(stack.resolve(repository.repository.repositoryUri));
    });
  });

  describe('configuration', () => {
    let stack: Stack;
    beforeEach(() => {
      stack = testStack();
    });

    test('uses the provided repositoryName', () => {
      new ImageRepository(stack, 'Repo', { repositoryName: 'team/api-server' });
      Template.fromStack(stack).hasResourceProperties('AWS::ECR::Repository', { RepositoryName: 'team/api-server' });
    });

    test('uses the provided untaggedImageExpiryDays', () => {
      new ImageRepository(stack, 'Repo', { untaggedImageExpiryDays: 3 });
      expect(lifecycleRules(Template.fromStack(stack))[0]).toMatchObject({
        description: 'Delete untagged images 3 days after push',
        selection: { tagStatus: 'untagged', countType: 'sinceImagePushed', countNumber: 3, countUnit: 'days' },
      });
    });

    test('uses the provided maxImageCount', () => {
      new ImageRepository(stack, 'Repo', { maxImageCount: 30 });
      expect(lifecycleRules(Template.fromStack(stack))[1]).toMatchObject({
        description: 'Keep only the 30 most recent images',
        selection: { tagStatus: 'any', countType: 'imageCountMoreThan', countNumber: 30 },
      });
    });

    test('uses the provided removalPolicy', () => {
      new ImageRepository(stack, 'Repo', { removalPolicy: RemovalPolicy.DESTROY });
      Template.fromStack(stack).hasResource('AWS::ECR::Repository', { DeletionPolicy: 'Delete', UpdateReplacePolicy: 'Delete' });
    });

    test.each([
      [1, 1],
      [3650, 10000],
    ])('accepts untaggedImageExpiryDays %s and maxImageCount %s at the edges of their ranges', (untaggedImageExpiryDays, maxImageCount) => {
      new ImageRepository(stack, 'Repo', { untaggedImageExpiryDays, maxImageCount });
      const rules = lifecycleRules(Template.fromStack(stack));
      expect(rules.map((rule) => rule.selection.countNumber)).toEqual([untaggedImageExpiryDays, maxImageCount]);
    });

    test('returns an image of the repository with the given tag', () => {
      const repository = new ImageRepository(stack, 'Repo');
      const taskDefinition = new ecs.Ec2TaskDefinition(stack, 'TaskDefinition');
      taskDefinition.addContainer('App', { image: repository.image('1.4.2'), memoryLimitMiB: 512 });
      Template.fromStack(stack).hasResourceProperties('AWS::ECS::TaskDefinition', {
        ContainerDefinitions: [Match.objectLike({
          Image: { 'Fn::Join': ['', Match.arrayWith([{ Ref: logicalId(repository.repository.node.defaultChild) }, ':1.4.2'])] },
        })],
      });
    });

    test.each(['1.4.2', 'v1', 'sha-0123abc', '_build', 'A'.repeat(128)])('accepts the image tag %s', (tag) => {
      const repository = new ImageRepository(stack, 'Repo');
      expect(() => repository.image(tag)).not.toThrow();
    });
  });

  describe('permissions', () => {
    test('grantPull allows the pull actions on this repository and an authorization token', () => {
      const stack = testStack();
      const repository = new ImageRepository(stack, 'Repo');
      const role = new iam.Role(stack, 'Role', { assumedBy: new iam.ServicePrincipal('ecs-tasks.amazonaws.com') });
      repository.grantPull(role);
      const template = Template.fromStack(stack);
      template.resourceCountIs('AWS::IAM::Policy', 1);
      template.hasResourceProperties('AWS::IAM::Policy', {
        Roles: [{ Ref: logicalId(role.node.defaultChild) }],
        PolicyDocument: {
          Version: '2012-10-17',
          Statement: [
            {
              Effect: 'Allow',
              Action: ['ecr:BatchCheckLayerAvailability', 'ecr:GetDownloadUrlForLayer', 'ecr:BatchGetImage'],
              Resource: { 'Fn::GetAtt': [logicalId(repository.repository.node.defaultChild), 'Arn'] },
            },
            { Effect: 'Allow', Action: 'ecr:GetAuthorizationToken', Resource: '*' },
          ],
        },
      });
    });

    test('grantPull to a role of the same account adds no repository policy', () => {
      const stack = testStack();
      const repository = new ImageRepository(stack, 'Repo');
      repository.grantPull(new iam.Role(stack, 'Role', { assumedBy: new iam.ServicePrincipal('ecs-tasks.amazonaws.com') }));
      Template.fromStack(stack).hasResourceProperties('AWS::ECR::Repository', { RepositoryPolicyText: Match.absent() });
    });
  });

  describe('validation', () => {
    let stack: Stack;
    beforeEach(() => {
      stack = testStack();
    });

    test.each(['Bad_Name!', 'a', 'UPPER', 'double--dash', '-leading', 'trailing/', `${'a'.repeat(257)}`])(
      'fails when repositoryName is %j', (repositoryName) => {
        expect(() => new ImageRepository(stack, 'Repo', { repositoryName }))
          .toThrow(new RegExp(`^\\[TestStack/Repo\\] \`repositoryName\` must be 2 to 256 lowercase letters and digits, separated by single \`\\.\`, \`_\`, \`-\` or \`/\`, got: "${repositoryName}"$`));
      });

    test.each([0, 3651, 1.5])('fails when untaggedImageExpiryDays is %s', (untaggedImageExpiryDays) => {
      expect(() => new ImageRepository(stack, 'Repo', { untaggedImageExpiryDays }))
        .toThrow(new RegExp(`^\\[TestStack/Repo\\] \`untaggedImageExpiryDays\` must be an integer between 1 and 3650, got: ${untaggedImageExpiryDays}$`));
    });

    test.each([0, 10001])('fails when maxImageCount is %s', (maxImageCount) => {
      expect(() => new ImageRepository(stack, 'Repo', { maxImageCount }))
        .toThrow(new RegExp(`^\\[TestStack/Repo\\] \`maxImageCount\` must be an integer between 1 and 10000, got: ${maxImageCount}$`));
    });

    test('adds no repository when validation fails', () => {
      expect(() => new ImageRepository(stack, 'Repo', { maxImageCount: 0 })).toThrow();
      Template.fromStack(stack).resourceCountIs('AWS::ECR::Repository', 0);
    });

    test.each([
      ['empty', ''],
      ['starting with .', '.bad'],
      ['starting with -', '-bad'],
      ['with a colon', 'v1:2'],
      ['longer than 128 characters', 'a'.repeat(129)],
      ['latest, which an immutable repository can hold only once', 'latest'],
    ])('fails when the image tag is %s', (_, tag) => {
      const repository = new ImageRepository(stack, 'Repo');
      expect(() => repository.image(tag))
        .toThrow(new RegExp(`^\\[TestStack/Repo\\] \`tag\` must be a tag that names one build \\(tags are immutable, so not \`latest\`\\): 1 to 128 letters, digits, \`_\`, \`\\.\` and \`-\`, not starting with \`\\.\` or \`-\`, got: "${tag}"$`));
    });
  });

  describe('cdk-nag', () => {
    test('has no AwsSolutions findings', () => {
      const stack = testStack();
      const repository = new ImageRepository(stack, 'Repo');
      expect(nagFindings(repository)).toEqual([]);
    });
  });
});
