// Catalog gaps found by the holdout corpus (events/holdout), each on plain objects: the wording or evidence the
// reports showed, and the answer their threads established.
import { describe, expect, it } from 'vitest';
import { details, findings, ids, notReady, pendingContext } from '../support/catalog-fixtures.js';

describe('scheduling messages of Kubernetes before 1.18', () => {
  // Before 1.18 the scheduler named no taint: "node(s) had taints that the pod didn't tolerate".
  const keyless = "0/1 nodes are available: 1 node(s) had taints that the pod didn't tolerate.";

  it('read as an untolerated taint, quoted', () => {
    const [top] = findings(notReady(), pendingContext(keyless));
    expect(top?.signatureId).toBe('untolerated-taint');
    expect(details(top)).toContain(`scheduler: ${keyless}`);
  });

  it('one step less sure: without the key it may be a taint the node controller set for a condition', () => {
    const [top] = findings(notReady(), pendingContext(keyless));
    expect(top?.confidence).toBe('medium');
    expect(top?.summary).toContain('node.kubernetes.io/');
    expect(top?.remediation[0]).toContain(
      'kubectl get nodes -o custom-columns=NAME:.metadata.name,TAINTS:.spec.taints',
    );
    const keyed = '0/4 nodes are available: 4 node(s) had untolerated taint {workload: batch}.';
    expect(findings(notReady(), pendingContext(keyed))[0]?.confidence).toBe('high');
  });

  it('still ranks behind resources when both are named', () => {
    const both =
      "0/5 nodes are available: 2 Insufficient cpu, 3 node(s) had taints that the pod didn't tolerate.";
    const all = findings(notReady(), pendingContext(both));
    expect(all[0]?.signatureId).toBe('insufficient-resources');
    expect(ids(all)).toContain('untolerated-taint');
  });
});

describe('a pod whose claim is not bound', () => {
  const unbound = '0/3 nodes are available: 3 pod has unbound immediate PersistentVolumeClaims.';
  const newer =
    '0/3 nodes are available: pod has unbound immediate PersistentVolumeClaims. preemption: 0/3 nodes are available: 3 Preemption is not helpful for scheduling.';

  it('is named as such, from the scheduler message in either wording, with the claim commands', () => {
    for (const msg of [unbound, newer]) {
      const [top] = findings(notReady(), pendingContext(msg));
      expect(top?.signatureId, msg).toBe('pvc-unbound');
      expect(details(top)).toContain(`scheduler: ${msg}`);
      expect(top?.remediation.join('\n')).toContain('kubectl get pvc -n payments');
      expect(top?.remediation.join('\n')).toContain('kubectl get storageclass');
    }
  });

  it('is not claimed for a pod the scheduler placed', () => {
    expect(ids(findings(notReady(), pendingContext(undefined)))).not.toContain('pvc-unbound');
  });
});
