// Lambda entry for the HTTP API (placeholder until the app factory lands).
export const handler = async (): Promise<{ statusCode: number; body: string }> => ({
  statusCode: 503,
  body: '{"error":{"code":"not_ready","message":"not built yet"}}',
});
