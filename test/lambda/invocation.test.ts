// Every line a Lambda invocation logs carries its request id, whether it was the cold start, and the X-Ray trace id.
import { afterEach, describe, expect, it } from 'vitest';
import { invocationScope } from '../../src/lambda/invocation.js';
import { memoryLogger } from '../support/memory-logger.js';

const records = (lines: string[]) => lines.map((l) => JSON.parse(l) as Record<string, unknown>);
const TRACE = 'Root=1-5759e988-bd862e3fe1be46a994272793;Parent=53995c3f42cd8ad8;Sampled=1';

afterEach(() => {
  delete process.env._X_AMZN_TRACE_ID;
});

describe('invocationScope', () => {
  it('stamps the request id and the cold-start flag on lines logged anywhere inside the invocation', async () => {
    const { log, lines } = memoryLogger();
    const deep = log.child({ component: 'notifier' });
    const invoke = invocationScope(log);
    await invoke({ awsRequestId: 'req-1' }, async (invocationLog) => {
      invocationLog.info('batch started');
      await Promise.resolve();
      deep.warn('slow post');
    });
    await invoke({ awsRequestId: 'req-2' }, async () => deep.info('second'));
    log.info('between invocations');
    expect(records(lines)).toEqual([
      expect.objectContaining({ message: 'batch started', requestId: 'req-1', coldStart: true }),
      expect.objectContaining({
        message: 'slow post',
        requestId: 'req-1',
        coldStart: true,
        component: 'notifier',
      }),
      expect.objectContaining({ message: 'second', requestId: 'req-2', coldStart: false }),
      expect.not.objectContaining({ requestId: expect.anything() }),
    ]);
  });

  it('adds the X-Ray trace id (the Root of _X_AMZN_TRACE_ID) when Lambda sets it', async () => {
    const { log, lines } = memoryLogger();
    const invoke = invocationScope(log);
    await invoke({ awsRequestId: 'req-1' }, async (l) => l.info('no trace'));
    process.env._X_AMZN_TRACE_ID = TRACE;
    await invoke({ awsRequestId: 'req-2' }, async (l) => l.info('traced'));
    expect(records(lines)[0]).not.toHaveProperty('traceId');
    expect(records(lines)[1]).toMatchObject({ traceId: '1-5759e988-bd862e3fe1be46a994272793' });
  });

  it('returns what the invocation returns, and a bare invocation (no context) still logs, without a request id', async () => {
    const { log, lines } = memoryLogger();
    const invoke = invocationScope(log);
    const answer = invoke(undefined, async (l) => {
      l.info('bare');
      return 42;
    });
    await expect(answer).resolves.toBe(42);
    expect(records(lines)[0]).toMatchObject({ message: 'bare', coldStart: true });
    expect(records(lines)[0]).not.toHaveProperty('requestId');
  });
});
