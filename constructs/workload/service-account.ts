import { Construct } from 'constructs';
import { KubeObject } from '../core/kube-object.ts';
import { Labels, MANAGED_BY_LOCKSTEP } from '../core/labels.ts';
import type { ISubject } from '../rbac/subject.ts';

export interface ServiceAccountProps {
  readonly name: string;
  readonly namespace: string;
  /**
   * Mount the API token into pods. Off by default: an agent that never calls the Kubernetes API
   * should not carry credentials for it.
   * @default false
   */
  readonly automountToken?: boolean;
  readonly labels?: Record<string, string>;
}

/** A ServiceAccount that does not mount its token unless asked. It is an RBAC subject. */
export class ServiceAccount extends Construct implements ISubject {
  readonly name: string;
  readonly namespace: string;
  readonly automountToken: boolean;

  constructor(scope: Construct, id: string, props: ServiceAccountProps) {
    super(scope, id);
    this.name = props.name;
    this.namespace = props.namespace;
    this.automountToken = props.automountToken ?? false;
    new KubeObject(this, 'Resource', {
      apiVersion: 'v1',
      kind: 'ServiceAccount',
      name: this.name,
      namespace: this.namespace,
      labels: { [Labels.MANAGED_BY]: MANAGED_BY_LOCKSTEP, ...props.labels },
      body: () => ({ automountServiceAccountToken: this.automountToken }),
    });
  }

  get subjectName(): string {
    return `${this.namespace}/${this.name}`;
  }

  subjectJson(): Record<string, string> {
    return { kind: 'ServiceAccount', name: this.name, namespace: this.namespace };
  }
}
