/** The fake Kubernetes API server for tests (see fake-kube-api.ts). */
export { startFakeKubeApi } from './fake-kube-api.js';
export type { AccessRule, FakeKubeApi, FakeKubeApiOptions, KubeFault, RecordedRequest } from './fake-kube-api.js';
export type { ExecCall, ExecReply, ExecResponder } from './exec.js';
export type { Deployment, KubeObject, Pod, ReplicaSet, StatusBody } from './types.js';
