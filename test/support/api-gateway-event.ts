// An API Gateway HTTP API (payload 2.0) event, as the deployed stage hands a request to the api function.

export function httpEvent(path: string, body: string, headers: Record<string, string>) {
  return {
    version: '2.0',
    routeKey: '$default',
    rawPath: path,
    rawQueryString: '',
    headers: { 'content-type': 'application/json', ...headers },
    requestContext: {
      accountId: '000000000000',
      apiId: 'artifact',
      domainName: 'artifact.execute-api.eu-west-1.amazonaws.com',
      domainPrefix: 'artifact',
      http: {
        method: 'POST',
        path,
        protocol: 'HTTP/1.1',
        sourceIp: '127.0.0.1',
        userAgent: 'Alertmanager/0.27.0',
      },
      requestId: 'req-1',
      routeKey: '$default',
      stage: '$default',
      time: '23/Nov/2026:08:24:00 +0000',
      timeEpoch: 1_795_422_240_000,
    },
    body,
    isBase64Encoded: false,
  };
}
