// Unit tests skip aws-cdk-lib's built-in CloudFormation validation (about 4 s per test file). The examples test
// turns it on again on purpose: that is where every synthesized template is checked against the schemas.
process.env.CDK_VALIDATION = 'false';
process.env.JSII_SILENCE_WARNING_DEPRECATED = '1';
