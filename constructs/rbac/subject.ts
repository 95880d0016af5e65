/** Who receives permissions: a service account, a user or a group. */
export interface ISubject {
  readonly subjectName: string;
  subjectJson(): Record<string, string>;
}

export class User implements ISubject {
  static fromName(name: string): User {
    return new User(name);
  }
  private constructor(readonly subjectName: string) {}
  subjectJson(): Record<string, string> {
    return { apiGroup: 'rbac.authorization.k8s.io', kind: 'User', name: this.subjectName };
  }
}

export class Group implements ISubject {
  static fromName(name: string): Group {
    return new Group(name);
  }
  private constructor(readonly subjectName: string) {}
  subjectJson(): Record<string, string> {
    return { apiGroup: 'rbac.authorization.k8s.io', kind: 'Group', name: this.subjectName };
  }
}

/** A ServiceAccount that is not created by this platform (e.g. one a Helm chart installs). */
export class ServiceAccountRef implements ISubject {
  static of(namespace: string, name: string): ServiceAccountRef {
    return new ServiceAccountRef(namespace, name);
  }
  private constructor(readonly namespace: string, readonly name: string) {}
  get subjectName(): string {
    return `${this.namespace}/${this.name}`;
  }
  subjectJson(): Record<string, string> {
    return { kind: 'ServiceAccount', name: this.name, namespace: this.namespace };
  }
}
