// Lambda entry for the SQS triage worker (placeholder until triage lands).
export const handler = async (): Promise<{ batchItemFailures: { itemIdentifier: string }[] }> => ({
  batchItemFailures: [],
});
