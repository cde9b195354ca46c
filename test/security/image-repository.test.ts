import { App, CfnElement, RemovalPolicy, Stack } from 'aws-cdk-lib';
import { Annotations, Capture, Match, Template } from 'aws-cdk-lib/assertions';
import * as ecs from 'aws-cdk-lib/aws-ecs';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as kms from 'aws-cdk-lib/aws-kms';
import { ImageRepository } from '../../src';
import { nagFindings, testStack } from '../util';

/** A regular expression that matches exactly `text`. */
function exactly(text: string): RegExp {
  return new RegExp(`^${text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}$`);
}

/** The lifecycle rules of the only repository in the template, parsed. */
function lifecycleRules(template: Template): any[] {
  const text = new Capture();
  template.hasResourceProperties('AWS::ECR::Repository', { LifecyclePolicy: { LifecyclePolicyText: text } });
  return JSON.parse(text.asString()).rules;
}

const PULL_ACTIONS = ['ecr:BatchCheckLayerAvailability', 'ecr:GetDownloadUrlForLayer', 'ecr:BatchGetImage'];

/** The repository policy statement that lets `account` pull. */
function accountPullStatement(account: string): unknown {
  return {
    Effect: 'Allow',
    Action: PULL_ACTIONS,
    Principal: { AWS: { 'Fn::Join': ['', ['arn:', { Ref: 'AWS::Partition' }, `:iam::${account}:root`]] } },
  };
}

/** The messages of the warnings in `stack`. */
function warnings(stack: Stack): string[] {
  return Annotations.fromStack(stack).findWarning('*', Match.anyValue()).map((warning) => String(warning.entry.data));
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

    test('deletes untagged images 14 days after push, and no tagged image (no catch-all rule)', () => {
      expect(lifecycleRules(template)).toEqual([
        {
          rulePriority: 1,
          description: 'Delete untagged images 14 days after push',
          selection: { tagStatus: 'untagged', countType: 'sinceImagePushed', countNumber: 14, countUnit: 'days' },
          action: { type: 'expire' },
        },
      ]);
    });

    test('gives a workload that runs one of its images no warning', () => {
      const other = testStack();
      const images = new ImageRepository(other, 'Repo');
      new ecs.Ec2TaskDefinition(other, 'TaskDefinition').addContainer('App', { image: images.image('1.4.2'), memoryLimitMiB: 512 });
      Template.fromStack(other);
      expect(warnings(other)).toEqual([]);
    });

    test('retains the repository', () => {
      template.hasResource('AWS::ECR::Repository', { DeletionPolicy: 'RetainExceptOnCreate', UpdateReplacePolicy: 'Retain' });
    });

    test('has no repository policy', () => {
      template.hasResourceProperties('AWS::ECR::Repository', { RepositoryPolicyText: Match.absent() });
    });

    test('uses the AWS managed key of ECR', () => {
      template.hasResourceProperties('AWS::ECR::Repository', { EncryptionConfiguration: { EncryptionType: 'KMS', KmsKey: Match.absent() } });
    });

    test('leaves the images in place when the repository is deleted', () => {
      template.hasResourceProperties('AWS::ECR::Repository', { EmptyOnDelete: Match.absent() });
    });

    test('warns about nothing', () => {
      expect(warnings(stack)).toEqual([]);
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

    test('keeps the provided maxImageCount most recent images in a catch-all rule', () => {
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

    test('keeps the most recent images of each tag prefix, between the untagged and the catch-all rule', () => {
      new ImageRepository(stack, 'Repo', {
        keepImagesPerTagPrefix: [{ tagPrefix: 'release-', maxImageCount: 20 }, { tagPrefix: 'pr-', maxImageCount: 5 }],
      });
      expect(lifecycleRules(Template.fromStack(stack))).toEqual([
        {
          rulePriority: 1,
          description: 'Delete untagged images 14 days after push',
          selection: { tagStatus: 'untagged', countType: 'sinceImagePushed', countNumber: 14, countUnit: 'days' },
          action: { type: 'expire' },
        },
        {
          rulePriority: 2,
          description: 'Keep only the 20 most recent images tagged release-*',
          selection: { tagStatus: 'tagged', tagPrefixList: ['release-'], countType: 'imageCountMoreThan', countNumber: 20 },
          action: { type: 'expire' },
        },
        {
          rulePriority: 3,
          description: 'Keep only the 5 most recent images tagged pr-*',
          selection: { tagStatus: 'tagged', tagPrefixList: ['pr-'], countType: 'imageCountMoreThan', countNumber: 5 },
          action: { type: 'expire' },
        },
      ]);
    });

    test('puts the catch-all rule last, after the per-prefix rules', () => {
      new ImageRepository(stack, 'Repo', { keepImagesPerTagPrefix: [{ tagPrefix: 'release-', maxImageCount: 20 }], maxImageCount: 50 });
      expect(lifecycleRules(Template.fromStack(stack)).map((rule) => [rule.rulePriority, rule.selection.tagStatus])).toEqual([
        [1, 'untagged'], [2, 'tagged'], [3, 'any'],
      ]);
    });

    test('accepts an empty keepImagesPerTagPrefix as no per-prefix rules', () => {
      new ImageRepository(stack, 'Repo', { keepImagesPerTagPrefix: [] });
      expect(lifecycleRules(Template.fromStack(stack)).map((rule) => rule.selection.tagStatus)).toEqual(['untagged']);
    });

    describe('a workload that runs a tag the catch-all rule may delete', () => {
      function run(repository: ImageRepository, tag: string): void {
        const taskDefinition = new ecs.Ec2TaskDefinition(stack, 'TaskDefinition');
        taskDefinition.addContainer('App', { image: repository.image(tag), memoryLimitMiB: 512 });
        Template.fromStack(stack);
      }

      test('is warned, by count', () => {
        run(new ImageRepository(stack, 'Repo', { maxImageCount: 30 }), '1.4.2');
        expect(warnings(stack)).toEqual([
          'The image 1.4.2 of TestStack/Repo is deleted once 30 newer images are in the repository (`maxImageCount`) even while this ' +
          'workload runs it, and tasks started later then fail to pull it. Keep the tags you deploy under `keepImagesPerTagPrefix`. ' +
          '[ack: cdk-ecs-platform:ImageRepository.expirableImage]',
        ]);
        expect(Annotations.fromStack(stack).findWarning('/TestStack/TaskDefinition/App', Match.anyValue())).toHaveLength(1);
      });

      test('is warned, by age', () => {
        run(new ImageRepository(stack, 'Repo', { maxImageAgeDays: 90 }), '1.4.2');
        expect(warnings(stack)).toContainEqual(expect.stringMatching(
          /^The image 1\.4\.2 of TestStack\/Repo is deleted 90 days after it was pushed \(`maxImageAgeDays`\) even while this workload runs it/));
      });

      test('is not warned when its tag is under a keepImagesPerTagPrefix rule, which alone decides for it', () => {
        run(new ImageRepository(stack, 'Repo', { maxImageCount: 30, keepImagesPerTagPrefix: [{ tagPrefix: 'release-', maxImageCount: 20 }] }),
          'release-1.4.2');
        expect(warnings(stack)).toEqual([]);
      });
    });

    test('deletes images by age instead of count when maxImageAgeDays is given, as the last rule', () => {
      new ImageRepository(stack, 'Repo', { maxImageAgeDays: 90, keepImagesPerTagPrefix: [{ tagPrefix: 'release-', maxImageCount: 10 }] });
      const rules = lifecycleRules(Template.fromStack(stack));
      expect(rules).toHaveLength(3);
      expect(rules[2]).toEqual({
        rulePriority: 3,
        description: 'Delete images 90 days after push',
        selection: { tagStatus: 'any', countType: 'sinceImagePushed', countNumber: 90, countUnit: 'days' },
        action: { type: 'expire' },
      });
    });

    test('warns that images are deleted by age even while they run', () => {
      new ImageRepository(stack, 'Repo', { maxImageAgeDays: 90 });
      expect(warnings(stack)).toEqual([
        'Images are deleted 90 days after push even while a service runs them, and tasks started later then fail to pull them. ' +
        'Keep the tags you deploy under `keepImagesPerTagPrefix`. [ack: cdk-ecs-platform:ImageRepository.maxImageAgeDays]',
      ]);
    });

    test('turns scan on push off when scanOnPush is false, with a warning', () => {
      new ImageRepository(stack, 'Repo', { scanOnPush: false });
      Template.fromStack(stack).hasResourceProperties('AWS::ECR::Repository', { ImageScanningConfiguration: { ScanOnPush: false } });
      expect(warnings(stack)).toEqual([
        'Images are not scanned on push. Turn `scanOnPush` off only when enhanced scanning is configured for the registry. ' +
        '[ack: cdk-ecs-platform:ImageRepository.scanOnPush]',
      ]);
    });

    test('encrypts images with the provided encryptionKey', () => {
      const encryptionKey = new kms.Key(stack, 'Key', { enableKeyRotation: true });
      new ImageRepository(stack, 'Repo', { encryptionKey });
      Template.fromStack(stack).hasResourceProperties('AWS::ECR::Repository', {
        EncryptionConfiguration: { EncryptionType: 'KMS', KmsKey: { 'Fn::GetAtt': [logicalId(encryptionKey.node.defaultChild), 'Arn'] } },
      });
    });

    test('empties the repository on delete when emptyOnDelete is set with RemovalPolicy.DESTROY', () => {
      new ImageRepository(stack, 'Repo', { removalPolicy: RemovalPolicy.DESTROY, emptyOnDelete: true });
      Template.fromStack(stack).hasResource('AWS::ECR::Repository', {
        DeletionPolicy: 'Delete',
        Properties: Match.objectLike({ EmptyOnDelete: true }),
      });
    });

    test('renders nothing for emptyOnDelete false', () => {
      new ImageRepository(stack, 'Repo', { emptyOnDelete: false });
      Template.fromStack(stack).hasResourceProperties('AWS::ECR::Repository', { EmptyOnDelete: Match.absent() });
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

    test('lets each account of grantPullToAccounts pull, once, and no one else', () => {
      const stack = testStack();
      new ImageRepository(stack, 'Repo', { grantPullToAccounts: ['111122223333', '444455556666', '111122223333'] });
      Template.fromStack(stack).hasResourceProperties('AWS::ECR::Repository', {
        RepositoryPolicyText: {
          Version: '2012-10-17',
          Statement: [accountPullStatement('111122223333'), accountPullStatement('444455556666')],
        },
      });
    });

    test('grantPullToAccount adds a pull statement for the account to the repository policy', () => {
      const stack = testStack();
      const repository = new ImageRepository(stack, 'Repo');
      const grant = repository.grantPullToAccount('111122223333');
      expect(grant.success).toBe(true);
      Template.fromStack(stack).hasResourceProperties('AWS::ECR::Repository', {
        RepositoryPolicyText: { Version: '2012-10-17', Statement: [accountPullStatement('111122223333')] },
      });
    });

    test('grantPullToAccount adds to the accounts of grantPullToAccounts', () => {
      const stack = testStack();
      const repository = new ImageRepository(stack, 'Repo', { grantPullToAccounts: ['111122223333'] });
      repository.grantPullToAccount('444455556666');
      Template.fromStack(stack).hasResourceProperties('AWS::ECR::Repository', {
        RepositoryPolicyText: { Statement: [accountPullStatement('111122223333'), accountPullStatement('444455556666')] },
      });
    });

    test('accepts any account in an environment-agnostic stack', () => {
      const stack = new Stack(new App(), 'Agnostic');
      const repository = new ImageRepository(stack, 'Repo', { grantPullToAccounts: ['123456789012'] });
      expect(() => repository.grantPullToAccount('210987654321')).not.toThrow();
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

    test.each([
      ['empty', ''],
      ['starting with .', '.x'],
      ['starting with -', '-x'],
      ['with a wildcard', 'release-*'],
      ['longer than 128 characters', 'a'.repeat(129)],
    ])('fails when a tag prefix is %s', (_, tagPrefix) => {
      expect(() => new ImageRepository(stack, 'Repo', { keepImagesPerTagPrefix: [{ tagPrefix: 'v', maxImageCount: 5 }, { tagPrefix, maxImageCount: 5 }] }))
        .toThrow(new RegExp('^\\[TestStack/Repo\\] `keepImagesPerTagPrefix\\[1\\]\\.tagPrefix` must be 1 to 128 letters, digits, `_`, `\\.` and `-`, ' +
          `not starting with \`\\.\` or \`-\`, got: "${tagPrefix.replace('*', '\\*')}"$`));
    });

    test('fails when two tag prefixes are the same', () => {
      expect(() => new ImageRepository(stack, 'Repo', {
        keepImagesPerTagPrefix: [{ tagPrefix: 'release-', maxImageCount: 5 }, { tagPrefix: 'pr-', maxImageCount: 5 }, { tagPrefix: 'release-', maxImageCount: 9 }],
      })).toThrow(exactly('[TestStack/Repo] `keepImagesPerTagPrefix[2].tagPrefix` must be a prefix no earlier entry has (ECR needs distinct prefixes), got: "release-"'));
    });

    test.each([0, 10001, 2.5])('fails when a tag prefix maxImageCount is %s', (maxImageCount) => {
      expect(() => new ImageRepository(stack, 'Repo', { keepImagesPerTagPrefix: [{ tagPrefix: 'v', maxImageCount }] }))
        .toThrow(exactly(`[TestStack/Repo] \`keepImagesPerTagPrefix[0].maxImageCount\` must be an integer between 1 and 10000, got: ${maxImageCount}`));
    });

    test('fails when both maxImageCount and maxImageAgeDays are given', () => {
      expect(() => new ImageRepository(stack, 'Repo', { maxImageCount: 50, maxImageAgeDays: 90 }))
        .toThrow(exactly('[TestStack/Repo] `maxImageAgeDays` must be unset when `maxImageCount` is set ' +
          '(the catch-all rule either keeps the most recent images or deletes them by age), got: 90'));
    });

    test.each([0, 3651, 1.5])('fails when maxImageAgeDays is %s', (maxImageAgeDays) => {
      expect(() => new ImageRepository(stack, 'Repo', { maxImageAgeDays }))
        .toThrow(exactly(`[TestStack/Repo] \`maxImageAgeDays\` must be an integer between 1 and 3650, got: ${maxImageAgeDays}`));
    });

    test.each([undefined, RemovalPolicy.RETAIN, RemovalPolicy.SNAPSHOT])('fails when emptyOnDelete is set with removalPolicy %s', (removalPolicy) => {
      expect(() => new ImageRepository(stack, 'Repo', { emptyOnDelete: true, removalPolicy }))
        .toThrow(exactly('[TestStack/Repo] `emptyOnDelete` must be false unless `removalPolicy` is `RemovalPolicy.DESTROY` ' +
          '(a retained repository keeps its images), got: true'));
    });

    test.each(['*', '11112222333', '1111222233334', 'arn:aws:iam::111122223333:root', ''])('fails when grantPullToAccounts holds %j', (account) => {
      expect(() => new ImageRepository(stack, 'Repo', { grantPullToAccounts: ['444455556666', account] }))
        .toThrow(exactly(`[TestStack/Repo] \`grantPullToAccounts\` must be 12-digit AWS account IDs (never \`*\`: the repository is never public), got: "${account}"`));
      Template.fromStack(stack).resourceCountIs('AWS::ECR::Repository', 0);
    });

    test('fails when grantPullToAccounts holds the repository\'s own account', () => {
      expect(() => new ImageRepository(stack, 'Repo', { grantPullToAccounts: ['123456789012'] }))
        .toThrow(exactly('[TestStack/Repo] `grantPullToAccounts` must be accounts other than the repository\'s own ' +
          '(grant principals of this account with `grantPull()`), got: "123456789012"'));
    });

    test.each(['*', '1234'])('fails when grantPullToAccount is given %j', (accountId) => {
      const repository = new ImageRepository(stack, 'Repo');
      expect(() => repository.grantPullToAccount(accountId))
        .toThrow(exactly(`[TestStack/Repo] \`accountId\` must be 12-digit AWS account IDs (never \`*\`: the repository is never public), got: "${accountId}"`));
    });

    test('fails when grantPullToAccount is given the repository\'s own account', () => {
      const repository = new ImageRepository(stack, 'Repo');
      expect(() => repository.grantPullToAccount('123456789012')).toThrow(/`accountId` must be accounts other than the repository's own/);
    });

    test.each([
      ['any principal', () => new iam.AnyPrincipal()],
      ['the star principal', () => new iam.StarPrincipal()],
      ['any role of an account', () => new iam.ArnPrincipal('arn:aws:iam::111122223333:role/*')],
    ])('fails at synth when the repository policy allows %s through the escape hatch', (_, principal) => {
      const repository = new ImageRepository(stack, 'Repo');
      repository.repository.addToResourcePolicy(new iam.PolicyStatement({ actions: ['ecr:BatchGetImage'], principals: [principal()] }));
      expect(() => Template.fromStack(stack)).toThrow(/TestStack\/Repo.*the repository policy must allow named accounts only \(`grantPullToAccounts`\), never a public principal, got: /s);
    });

    test('lets the escape hatch deny a public principal', () => {
      const repository = new ImageRepository(stack, 'Repo');
      repository.repository.addToResourcePolicy(new iam.PolicyStatement({
        effect: iam.Effect.DENY,
        actions: ['ecr:*'],
        principals: [new iam.AnyPrincipal()],
        conditions: { Bool: { 'aws:SecureTransport': 'false' } },
      }));
      expect(() => Template.fromStack(stack)).not.toThrow();
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

    test('has no AwsSolutions findings with every option', () => {
      const stack = testStack();
      const repository = new ImageRepository(stack, 'Repo', {
        repositoryName: 'team/api',
        encryptionKey: new kms.Key(stack, 'Key', { enableKeyRotation: true }),
        keepImagesPerTagPrefix: [{ tagPrefix: 'release-', maxImageCount: 20 }],
        maxImageAgeDays: 90,
        grantPullToAccounts: ['111122223333'],
        removalPolicy: RemovalPolicy.DESTROY,
        emptyOnDelete: true,
      });
      repository.grantPullToAccount('444455556666');
      expect(nagFindings(repository)).toEqual([]);
    });
  });
});
