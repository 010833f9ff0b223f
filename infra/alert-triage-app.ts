// Builds the CDK app once (settings from context, the stack, cdk-nag), so app.ts and the tests share one composition.
import { type App, Validations } from 'aws-cdk-lib';
import { AwsSolutionsChecks } from 'cdk-nag';
import { AlertTriageStack } from './alert-triage-stack.js';
import { readSettings } from './settings.js';

export const STACK_NAME = 'AlertTriage';

export function configureApp(app: App): AlertTriageStack {
  const stack = new AlertTriageStack(app, STACK_NAME, {
    settings: readSettings(app.node),
    description: 'alert-triage: Alertmanager webhook -> SQS -> triage worker -> Slack, incidents in DynamoDB',
  });
  // cdk-nag 3 is a policy-validation plugin (no longer an Aspect): any unacknowledged finding fails synthesis.
  Validations.of(app).addPlugins(new AwsSolutionsChecks(app));
  return stack;
}
