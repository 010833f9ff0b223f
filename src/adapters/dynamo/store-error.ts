// One way to turn a DynamoDB failure into a DependencyError naming what was being done.
import { DependencyError } from '../../ports.js';

export function storeError(error: unknown, what: string): DependencyError {
  if (error instanceof DependencyError) return error;
  const e = error as { name?: string; message?: string };
  return new DependencyError('store', e.name ?? 'error', `${what}: ${e.message ?? String(error)}`, {
    cause: error,
  });
}
