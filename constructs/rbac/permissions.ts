import { Construct } from 'constructs';
import type { Acknowledgement } from '../core/acknowledgement.ts';
import type { ApiResource } from './api-resource.ts';
import { Role, type AllowOptions } from './role.ts';
import type { ISubject } from './subject.ts';
import { Verbs, type Verb } from './verbs.ts';

/**
 * Grants inside one namespace (`namespace.permissions`). Each subject gets one Role named after it,
 * accumulating every grant, and one RoleBinding.
 */
export class Permissions {
  private readonly roles = new Map<string, Role>();

  constructor(private readonly scope: Construct, private readonly namespace: string) {}

  /** Lets `subject` use `verbs` on `resources` in this namespace. */
  grant(subject: ISubject, verbs: readonly Verb[], resources: readonly ApiResource[], options: AllowOptions & { acknowledgements?: readonly Acknowledgement[] } = {}): Role {
    const key = JSON.stringify(subject.subjectJson());
    let role = this.roles.get(key);
    if (!role) {
      const name = `${subject.subjectName.split('/').pop()}-access`.toLowerCase();
      role = new Role(this.scope, `Grant-${name}`, { name, namespace: this.namespace, ...(options.acknowledgements ? { acknowledgements: options.acknowledgements } : {}) });
      role.bind(subject);
      this.roles.set(key, role);
    }
    role.allow(verbs, resources, options.resourceNames ? { resourceNames: options.resourceNames } : {});
    return role;
  }

  /** get, list and watch. */
  grantRead(subject: ISubject, ...resources: ApiResource[]): Role {
    return this.grant(subject, Verbs.READ, resources);
  }

  /** get, list, watch, create, update, patch, delete, deletecollection. */
  grantReadWrite(subject: ISubject, ...resources: ApiResource[]): Role {
    return this.grant(subject, Verbs.READ_WRITE, resources);
  }
}
