import { clusterQueryExcludesOs, clusterQueryProblem } from '../../../src/service/private/cluster-query';

describe('clusterQueryProblem', () => {
  test.each([
    // the examples of the cluster query language documentation
    'attribute:ecs.instance-type == t2.small',
    'attribute:ecs.availability-zone in [us-east-1a, us-east-1b]',
    'attribute:ecs.instance-type =~ g2.* and attribute:ecs.availability-zone != us-east-1d',
    'task:group == service:production',
    'not(task:group == database)',
    'runningTasksCount == 1',
    'agentVersion < 1.14.5',
    'registeredAt < 2018-02-13',
    "ec2InstanceId in ['i-abcd1234', 'i-wxyx7890']",
    // operators, word forms, compounds and spacing
    'attribute:ecs.os-type == linux',
    'attribute:stack exists',
    'attribute:stack !exists',
    'attribute:stack not_exists',
    'attribute:ecs.instance-type==m6i.large',
    'attribute:ecs.instance-type equals m6i.large',
    'attribute:ecs.instance-type not_in [t3.micro, t3.small]',
    'attribute:ecs.instance-type !in [t3.micro]',
    'attribute:ecs.instance-type !~ t3.*',
    'attribute:ecs.instance-type matches m6i.*',
    'attribute:ecs.cpu-architecture == arm64 && attribute:stack == "prod"',
    '(attribute:a == 1 or attribute:b == 2) and not attribute:c exists',
    '!(attribute:a == 1 || attribute:b == 2)',
    'agentConnected == true',
    'agentVersion >= 1.80.0',
    'registeredAt > 2018-06-18T22:28:28Z',
    'registeredAt greater_than_equal 2018-06-18T22:28:28+00:00',
    'runningTasksCount less_than_equal 3',
    '  attribute:a == b  ',
  ])('accepts %j', (expression) => {
    expect(clusterQueryProblem(expression)).toBeUndefined();
  });

  test.each([
    ['', 'the expression is empty'],
    ['   ', 'the expression is empty'],
    ['(attribute:a == b', '"(" at character 1 is never closed'],
    ['attribute:a == b)', '")" at character 17 closes no "("'],
    ['((attribute:a == b)', '"(" at character 1 is never closed'],
    ['attribute:a == b and', 'the expression ends where a comparison was expected'],
    ['attribute:a == b attribute:c == d', '"attribute:c == d" follows a complete comparison where and, or or the end was expected'],
    ['instance-type == m6i.large', '"instance-type" is not a subject (use attribute:<name>, ec2InstanceId, agentConnected, agentVersion, '
      + 'registeredAt, runningTasksCount or task:group)'],
    ['ecs.os-type == linux', '"ecs.os-type" is not a subject (use attribute:<name>, ec2InstanceId, agentConnected, agentVersion, '
      + 'registeredAt, runningTasksCount or task:group)'],
    ['attribute:ecs.os-type = linux', '"attribute:ecs.os-type" must be followed by an operator (==, !=, >, >=, <, <=, exists, !exists, '
      + 'in, !in, =~ or !~), not "="'],
    ['attribute:ecs.os-type', '"attribute:ecs.os-type" must be followed by an operator (==, !=, >, >=, <, <=, exists, !exists, '
      + 'in, !in, =~ or !~)'],
    ['attribute:ecs.os-type ==', '"attribute:ecs.os-type ==" needs a value'],
    ['attribute:ecs.os-type in us-east-1a', '"attribute:ecs.os-type in" needs a list such as [a, b]'],
    ['attribute:a in []', 'the list at character 16 must hold values separated by commas'],
    ['attribute:a in [x, ]', 'the list at character 16 must hold values separated by commas'],
    ['attribute:a in [x y]', '"[" at character 16 is never closed'],
    ['ec2InstanceId > i-123', 'ec2InstanceId cannot be compared with ">" (use ==, !=, in, !in, =~, !~)'],
    ['runningTasksCount in [1, 2]', 'runningTasksCount cannot be compared with "in" (use ==, !=, >, >=, <, <=)'],
    ['runningTasksCount == one', 'runningTasksCount compares with a whole number, not "one"'],
    ['agentVersion < 1.14', 'agentVersion compares with a version such as 1.14.5, not "1.14"'],
    ['registeredAt < yesterday', 'registeredAt compares with a date such as 2018-06-18 or 2018-06-18T22:28:28Z, not "yesterday"'],
    ['attribute:a == b AND attribute:c == d', '"AND attribute:c == d" follows a complete comparison where and, or or the end was expected'],
  ])('rejects %j: %s', (expression, problem) => {
    expect(clusterQueryProblem(expression)).toBe(problem);
  });

  test('rejects an expression longer than 2000 characters, the ECS limit', () => {
    expect(clusterQueryProblem(`attribute:a == ${'x'.repeat(1985)}`)).toBeUndefined();
    expect(clusterQueryProblem(`attribute:a == ${'x'.repeat(1986)}`)).toBe('at most 2000 characters, it has 2001');
  });
});

describe('clusterQueryProblem: unbalanced quotes', () => {
  test.each([
    ["attribute:stack == 'prod", "the quote ' at character 20 is never closed"],
    ['attribute:stack == "prod', 'the quote " at character 20 is never closed'],
    ["attribute:stack == prod'", "the quote ' at character 24 is never closed"],
    ["attribute:stack in [a, 'b]", "the quote ' at character 24 is never closed"],
  ])('finds the open quote in %j', (expression, problem) => {
    expect(clusterQueryProblem(expression)).toBe(problem);
  });
});

describe('clusterQueryExcludesOs', () => {
  test.each([
    ['attribute:ecs.os-type == windows', 'linux'],
    ['attribute:ecs.os-type == WINDOWS', 'linux'],
    ['attribute:ecs.os-type != linux', 'linux'],
    ['attribute:ecs.os-type in [windows]', 'linux'],
    ['attribute:ecs.os-type !in [linux, windows]', 'linux'],
    ['attribute:ecs.os-type !exists', 'linux'],
    ['not(attribute:ecs.os-type == linux)', 'linux'],
    ['attribute:ecs.os-type == linux and attribute:stack == prod', 'windows'],
    ['attribute:stack == prod and (attribute:ecs.os-type == windows or attribute:ecs.os-type == "macos")', 'linux'],
  ])('%j excludes %s', (expression, osType) => {
    expect(clusterQueryExcludesOs(expression, osType)).toBe(true);
  });

  test.each([
    ['attribute:ecs.os-type == linux', 'linux'],
    ['attribute:ecs.os-type == windows or attribute:stack == prod', 'linux'],
    ['attribute:ecs.os-type =~ win.*', 'linux'],
    ['not(attribute:stack == prod)', 'linux'],
    ['attribute:ecs.os-type in [linux, windows]', 'windows'],
    ["attribute:ecs.os-type == 'windows", 'linux'],
  ])('%j does not exclude %s', (expression, osType) => {
    expect(clusterQueryExcludesOs(expression, osType)).toBe(false);
  });
});
