// CloudWatch alarms for the triage pipeline (parked messages, worker errors, backlog age) and the SNS topic they notify.
import { Duration } from 'aws-cdk-lib';
import { Alarm, ComparisonOperator, type IMetric, TreatMissingData } from 'aws-cdk-lib/aws-cloudwatch';
import { SnsAction } from 'aws-cdk-lib/aws-cloudwatch-actions';
import type { IFunction } from 'aws-cdk-lib/aws-lambda';
import { FilterPattern, type ILogGroup, MetricFilter } from 'aws-cdk-lib/aws-logs';
import { Topic } from 'aws-cdk-lib/aws-sns';
import type { IQueue } from 'aws-cdk-lib/aws-sqs';
import { Construct } from 'constructs';
import { WEBHOOK_REFUSED, WEBHOOK_UNQUEUED } from '../../src/http/log-messages.js';

export interface AlarmsProps {
  readonly queue: IQueue;
  readonly deadLetterQueue: IQueue;
  readonly worker: IFunction;
  /** The api function's log group: its JSON lines say when a delivery was refused or could not be queued. */
  readonly apiLogs: ILogGroup;
}

/** Oldest queued alert older than this means triage has stalled; Alertmanager's own re-sends come sooner. */
export const MAX_QUEUE_AGE_SECONDS = 300;

export class Alarms extends Construct {
  readonly topic: Topic;
  readonly alarms: readonly Alarm[];

  constructor(scope: Construct, id: string, props: AlarmsProps) {
    super(scope, id);

    // Not KMS-encrypted: CloudWatch alarms cannot publish to a topic under the AWS-managed aws/sns key,
    // and a customer key for alarm notifications is not worth its cost here.
    this.topic = new Topic(this, 'Topic', { displayName: 'alert-triage alarms', enforceSSL: true });

    const period = Duration.minutes(1);
    this.alarms = [
      this.alarm('DeadLetterMessages', {
        metric: props.deadLetterQueue.metricApproximateNumberOfMessagesVisible({
          period,
          statistic: 'Maximum',
        }),
        threshold: 0,
        description:
          'Alerts were parked in the dead-letter queue after 5 failed triage attempts; see docs/deploy.md.',
      }),
      this.alarm('WorkerErrors', {
        metric: props.worker.metricErrors({ period, statistic: 'Sum' }),
        threshold: 0,
        description:
          'A worker invocation failed (threw, timed out or ran out of memory); messages it reports in ' +
          'batchItemFailures are retried without counting here.',
      }),
      this.alarm('WebhookRefused', {
        metric: this.logMetric(props.apiLogs, 'WebhookRefused', WEBHOOK_REFUSED, period),
        threshold: 0,
        description:
          'An authenticated Alertmanager delivery was refused (400/413): those alerts are not triaged. ' +
          'The api log says why; a 413 means the receiver needs max_alerts (see README).',
      }),
      this.alarm('WebhookUnqueued', {
        metric: this.logMetric(props.apiLogs, 'WebhookUnqueued', WEBHOOK_UNQUEUED, period),
        threshold: 0,
        description:
          'The api could not queue a delivery and answered 503; Alertmanager retries, but SQS or its ' +
          'permissions are failing.',
      }),
      this.alarm('QueueAge', {
        metric: props.queue.metricApproximateAgeOfOldestMessage({ period, statistic: 'Maximum' }),
        threshold: MAX_QUEUE_AGE_SECONDS,
        description: `An alert has waited more than ${MAX_QUEUE_AGE_SECONDS} s for triage: the worker is stalled or throttled.`,
      }),
    ];
  }

  /** Counts the api's JSON log lines with this exact message (1 per line, nothing when none). */
  private logMetric(logGroup: ILogGroup, name: string, message: string, period: Duration): IMetric {
    const filter = new MetricFilter(this, `${name}Filter`, {
      logGroup,
      filterPattern: FilterPattern.stringValue('$.message', '=', message),
      metricNamespace: 'AlertTriage',
      metricName: name,
      metricValue: '1',
    });
    return filter.metric({ period, statistic: 'Sum' });
  }

  private alarm(id: string, opts: { metric: IMetric; threshold: number; description: string }): Alarm {
    const alarm = new Alarm(this, id, {
      metric: opts.metric,
      threshold: opts.threshold,
      comparisonOperator: ComparisonOperator.GREATER_THAN_THRESHOLD,
      evaluationPeriods: 1,
      // No datapoints means an idle queue or a worker that was not invoked: both are healthy.
      treatMissingData: TreatMissingData.NOT_BREACHING,
      alarmDescription: `alert-triage: ${opts.description}`,
    });
    const action = new SnsAction(this.topic);
    alarm.addAlarmAction(action);
    alarm.addOkAction(action);
    return alarm;
  }
}
