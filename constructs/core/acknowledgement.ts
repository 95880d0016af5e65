/**
 * The checks a construct may be exempted from, each only with a written reason.
 * An acknowledgement appears in every report and diff; there is no global off switch.
 */
export type AcknowledgementId =
  | 'rbac/wildcard'
  | 'rbac/cluster-admin'
  | 'rbac/cluster-secret-read'
  | 'rbac/pods-exec'
  | 'workload/service-account-token'
  | 'workload/writable-root-filesystem'
  | 'workload/fixed-user-id'
  | 'network/cluster-egress';

export class Acknowledgement {
  /**
   * @param id the check being exempted
   * @param reason why the exemption is safe; at least 10 characters, shown in reports
   */
  static of(id: AcknowledgementId, reason: string): Acknowledgement {
    if (typeof reason !== 'string' || reason.trim().length < 10) {
      throw new Error(
        `acknowledgement "${id}" needs a written reason of at least 10 characters, got ${JSON.stringify(reason)}; ` +
          `say why the exemption is safe, e.g. Acknowledgement.of('${id}', 'operator must read git credentials in tenant namespaces')`,
      );
    }
    return new Acknowledgement(id, reason.trim());
  }

  private constructor(readonly id: AcknowledgementId, readonly reason: string) {}
}

/** Finds the acknowledgement for `id` in a list, if any. */
export function findAcknowledgement(list: readonly Acknowledgement[] | undefined, id: AcknowledgementId): Acknowledgement | undefined {
  return list?.find((a) => a.id === id);
}
