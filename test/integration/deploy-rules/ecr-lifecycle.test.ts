import { appOf, appOfStacks, Template } from './deploy-rule';
import { NO_RUNNING_IMAGE_UNDER_CATCH_ALL } from './ecr-lifecycle';

/** A rule of a lifecycle policy, as ECR takes it. */
function rule(rulePriority: number, selection: Record<string, unknown>): unknown {
  return { rulePriority, description: `rule ${rulePriority}`, selection, action: { type: 'expire' } };
}

const UNTAGGED = rule(1, { tagStatus: 'untagged', countType: 'sinceImagePushed', countNumber: 14, countUnit: 'days' });
const RELEASES = rule(2, { tagStatus: 'tagged', tagPrefixList: ['release-'], countType: 'imageCountMoreThan', countNumber: 20 });
const CATCH_ALL = rule(3, { tagStatus: 'any', countType: 'imageCountMoreThan', countNumber: 50 });

/** A template of one task definition whose container runs `image`. */
function taskRunning(image: unknown): Template {
  return { Resources: { Task: { Type: 'AWS::ECS::TaskDefinition', Properties: { ContainerDefinitions: [{ Name: 'app', Image: image }] } } } };
}

/** A repository with `rules` and a task definition that runs `tag` of it, referred to as CDK renders it. */
function template(rules: unknown[], tag: string): Template {
  return {
    Resources: {
      Repo: { Type: 'AWS::ECR::Repository', Properties: { LifecyclePolicy: { LifecyclePolicyText: JSON.stringify({ rules }) } } },
      Task: {
        Type: 'AWS::ECS::TaskDefinition',
        Properties: {
          ContainerDefinitions: [{
            Name: 'app',
            Image: { 'Fn::Join': ['', [{ Ref: 'AWS::AccountId' }, '.dkr.ecr.', { Ref: 'AWS::Region' }, '.', { Ref: 'AWS::URLSuffix' }, '/', { Ref: 'Repo' }, `:${tag}`]] },
          }],
        },
      },
    },
  };
}

test('a task that runs a tag the catch-all rule decides for breaks the rule', () => {
  expect(NO_RUNNING_IMAGE_UNDER_CATCH_ALL.check(appOf(template([UNTAGGED, CATCH_ALL], '1.0.0')))).toEqual([
    'TestStack/Task (AWS::ECS::TaskDefinition) runs 1.0.0 of TestStack/Repo, which its catch-all lifecycle rule 3 (rule 3) may delete',
  ]);
});

test('a tag under a prefix rule is decided by that rule, even with a catch-all rule after it', () => {
  expect(NO_RUNNING_IMAGE_UNDER_CATCH_ALL.check(appOf(template([UNTAGGED, RELEASES, CATCH_ALL], 'release-1.0.0')))).toEqual([]);
  expect(NO_RUNNING_IMAGE_UNDER_CATCH_ALL.check(appOf(template([UNTAGGED, RELEASES, CATCH_ALL], 'pr-7')))).toHaveLength(1);
});

test('a repository without a catch-all rule keeps the images tasks run', () => {
  expect(NO_RUNNING_IMAGE_UNDER_CATCH_ALL.check(appOf(template([UNTAGGED], '1.0.0')))).toEqual([]);
});

test('a repository of another stack is found by its name', () => {
  const repository: Template = {
    Resources: {
      Repo: {
        Type: 'AWS::ECR::Repository',
        Properties: { RepositoryName: 'shop/api', LifecyclePolicy: { LifecyclePolicyText: JSON.stringify({ rules: [UNTAGGED, CATCH_ALL] }) } },
      },
    },
  };
  const workload = taskRunning({ 'Fn::Join': ['', [{ Ref: 'AWS::AccountId' }, '.dkr.ecr.', { Ref: 'AWS::Region' }, '.', { Ref: 'AWS::URLSuffix' }, '/shop/api:2.0.0']] });
  const app = appOfStacks(['Platform', repository], ['Platform-Api', workload, ['Platform']]);
  expect(NO_RUNNING_IMAGE_UNDER_CATCH_ALL.check(app)).toEqual([
    'Platform-Api/Task (AWS::ECS::TaskDefinition) runs 2.0.0 of Platform/Repo, which its catch-all lifecycle rule 3 (rule 3) may delete',
  ]);
});

test('a repository of the images stack is found through the export of its ARN', () => {
  const exportName = 'Platform-Images:ApiImages1234ABCD:RepositoryArn';
  const images: Template = {
    Resources: {
      ApiImages1234ABCD: { Type: 'AWS::ECR::Repository', Properties: { LifecyclePolicy: { LifecyclePolicyText: JSON.stringify({ rules: [UNTAGGED, CATCH_ALL] }) } } },
    },
    Outputs: { ApiImagesArnExport: { Value: { 'Fn::GetAtt': ['ApiImages1234ABCD', 'Arn'] }, Export: { Name: exportName } } },
  };
  const imported = { 'Fn::ImportValue': exportName };
  const platform = taskRunning({
    'Fn::Join': ['', [{ 'Fn::Select': [4, { 'Fn::Split': [':', imported] }] }, '.dkr.ecr.', { 'Fn::Select': [3, { 'Fn::Split': [':', imported] }] },
      '.', { Ref: 'AWS::URLSuffix' }, '/', { 'Fn::Select': [1, { 'Fn::Split': [':repository/', imported] }] }, ':1.0.0']],
  });
  const app = appOfStacks(['Platform-Images', images], ['Platform', platform, ['Platform-Images']]);
  expect(NO_RUNNING_IMAGE_UNDER_CATCH_ALL.check(app)).toEqual([
    'Platform/Task (AWS::ECS::TaskDefinition) runs 1.0.0 of Platform-Images/ApiImages1234ABCD, which its catch-all lifecycle rule 3 (rule 3) may delete',
  ]);
});

test('an image of another registry is not this rule\'s concern', () => {
  const app = appOf({ Resources: { Task: { Type: 'AWS::ECS::TaskDefinition', Properties: { ContainerDefinitions: [{ Image: 'public.ecr.aws/nginx/nginx:1.27' }] } } } });
  expect(NO_RUNNING_IMAGE_UNDER_CATCH_ALL.check(app)).toEqual([]);
});
