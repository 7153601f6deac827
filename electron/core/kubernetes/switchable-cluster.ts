import { GuardiaError } from '../../../shared/result.js';
import type { ClusterPort } from '../ports.js';

type Optional = Exclude<
  {
    [K in keyof ClusterPort]-?: undefined extends ClusterPort[K] ? K : never;
  }[keyof ClusterPort],
  undefined
>;

/**
 * The environment's ClusterPort whose context can be switched while Guardia runs: core and the
 * playbook engine hold this one object; `use()` swaps the connector behind it. Optional methods
 * the current connector lacks fail with a clear error instead of looking absent (they are
 * present on the real connector and the demo alike).
 */
export class SwitchableCluster implements ClusterPort {
  constructor(private current: ClusterPort) {}

  get context(): string {
    return this.current.context;
  }

  /** The connector behind it now. */
  get target(): ClusterPort {
    return this.current;
  }

  use(next: ClusterPort): void {
    this.current = next;
  }

  private optional<K extends Optional>(name: K): NonNullable<ClusterPort[K]> {
    const fn = this.current[name];
    if (typeof fn !== 'function') {
      throw new GuardiaError('kubernetes.unsupported', `The Kubernetes connector of context "${this.context}" cannot ${String(name)}`);
    }
    return (fn as (...args: unknown[]) => unknown).bind(this.current) as NonNullable<ClusterPort[K]>;
  }

  listPods: ClusterPort['listPods'] = (...a) => this.current.listPods(...a);
  listDeployments: ClusterPort['listDeployments'] = (...a) => this.current.listDeployments(...a);
  rolloutUndo: ClusterPort['rolloutUndo'] = (...a) => this.current.rolloutUndo(...a);
  rolloutRestart: ClusterPort['rolloutRestart'] = (...a) => this.current.rolloutRestart(...a);
  scale: ClusterPort['scale'] = (...a) => this.current.scale(...a);
  setEnv: ClusterPort['setEnv'] = (...a) => this.current.setEnv(...a);
  deletePod: ClusterPort['deletePod'] = (...a) => this.current.deletePod(...a);
  podLogs: NonNullable<ClusterPort['podLogs']> = async (...a) => this.optional('podLogs')(...a);
  topPods: NonNullable<ClusterPort['topPods']> = async (...a) => this.optional('topPods')(...a);
  topNodes: NonNullable<ClusterPort['topNodes']> = async (...a) => this.optional('topNodes')(...a);
  rolloutHistory: NonNullable<ClusterPort['rolloutHistory']> = async (...a) => this.optional('rolloutHistory')(...a);
  listEvents: NonNullable<ClusterPort['listEvents']> = async (...a) => this.optional('listEvents')(...a);
  listHpas: NonNullable<ClusterPort['listHpas']> = async (...a) => this.optional('listHpas')(...a);
  listCertificates: NonNullable<ClusterPort['listCertificates']> = async (...a) => this.optional('listCertificates')(...a);
  accessReview: NonNullable<ClusterPort['accessReview']> = async (...a) => this.optional('accessReview')(...a);
  setResources: NonNullable<ClusterPort['setResources']> = async (...a) => this.optional('setResources')(...a);
  deleteCertificate: NonNullable<ClusterPort['deleteCertificate']> = async (...a) => this.optional('deleteCertificate')(...a);
  execTarget: NonNullable<ClusterPort['execTarget']> = async (...a) => this.optional('execTarget')(...a);
  exec: NonNullable<ClusterPort['exec']> = async (...a) => this.optional('exec')(...a);
  listNodes: NonNullable<ClusterPort['listNodes']> = async (...a) => this.optional('listNodes')(...a);
  cordonNode: NonNullable<ClusterPort['cordonNode']> = async (...a) => this.optional('cordonNode')(...a);
  drainNode: NonNullable<ClusterPort['drainNode']> = async (...a) => this.optional('drainNode')(...a);
}
