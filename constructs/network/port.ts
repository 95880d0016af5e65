export type Protocol = 'TCP' | 'UDP' | 'SCTP';

/** A port (or port range) in a NetworkPolicy rule. */
export class NetworkPort {
  static tcp(port: number): NetworkPort {
    return new NetworkPort('TCP', port);
  }
  static udp(port: number): NetworkPort {
    return new NetworkPort('UDP', port);
  }
  static tcpRange(from: number, to: number): NetworkPort {
    return new NetworkPort('TCP', from, to);
  }
  /** TCP and UDP 53: what a pod needs to resolve names. */
  static dns(): NetworkPort[] {
    return [NetworkPort.udp(53), NetworkPort.tcp(53)];
  }

  private constructor(readonly protocol: Protocol, readonly port: number, readonly endPort?: number) {
    for (const p of [port, endPort]) {
      if (p !== undefined && (!Number.isInteger(p) || p < 1 || p > 65535)) {
        throw new Error(`network port must be an integer from 1 to 65535, got ${p}`);
      }
    }
    if (endPort !== undefined && endPort < port) {
      throw new Error(`network port range must end at or after its start, got ${port}-${endPort}`);
    }
  }

  toJson(): Record<string, unknown> {
    return { protocol: this.protocol, port: this.port, ...(this.endPort !== undefined ? { endPort: this.endPort } : {}) };
  }

  toString(): string {
    return `${this.protocol}/${this.port}${this.endPort !== undefined ? `-${this.endPort}` : ''}`;
  }
}

export function assertPorts(what: string, ports: readonly NetworkPort[] | undefined): void {
  if (!ports || ports.length === 0) {
    throw new Error(`${what} needs at least one port; name them, e.g. [NetworkPort.tcp(8080)]`);
  }
}
