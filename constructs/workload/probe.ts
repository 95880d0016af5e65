export interface ProbeOptions {
  /** @default 10 */
  readonly periodSeconds?: number;
  /** @default 0 */
  readonly initialDelaySeconds?: number;
  /** @default 3 */
  readonly failureThreshold?: number;
}

/** A kubelet probe. */
export class Probe {
  static http(path: string, port: number | string, options: ProbeOptions = {}): Probe {
    return new Probe({ httpGet: { path, port } }, options);
  }
  static tcp(port: number | string, options: ProbeOptions = {}): Probe {
    return new Probe({ tcpSocket: { port } }, options);
  }
  static exec(command: readonly string[], options: ProbeOptions = {}): Probe {
    return new Probe({ exec: { command: [...command] } }, options);
  }
  private constructor(private readonly handler: Record<string, unknown>, private readonly options: ProbeOptions) {}
  toJson(): Record<string, unknown> {
    return {
      ...this.handler,
      periodSeconds: this.options.periodSeconds ?? 10,
      failureThreshold: this.options.failureThreshold ?? 3,
      ...(this.options.initialDelaySeconds ? { initialDelaySeconds: this.options.initialDelaySeconds } : {}),
    };
  }
}
