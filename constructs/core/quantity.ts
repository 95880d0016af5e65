const QUANTITY = /^[+-]?(\d+(\.\d*)?|\.\d+)([eE][+-]?\d+|[KMGTPE]i?|[mkunEP])?$/;

/** A CPU or memory amount as Kubernetes writes it: `500m`, `2`, `512Mi`, `4Gi`. */
export type Quantity = string;

export interface ResourceAmounts {
  readonly cpu: Quantity;
  readonly memory: Quantity;
}

/** Requests and limits. Both are required: agents without limits starve their neighbours. */
export interface Resources {
  readonly requests: ResourceAmounts;
  readonly limits: ResourceAmounts;
}

export function assertQuantity(what: string, value: unknown): void {
  if (typeof value !== 'string' || !QUANTITY.test(value)) {
    throw new Error(`${what} must be a Kubernetes quantity such as "500m", "2" or "512Mi", got ${JSON.stringify(value)}`);
  }
}

export function assertResources(what: string, r: Resources | undefined): void {
  if (!r || !r.requests || !r.limits) {
    throw new Error(`${what} needs both requests and limits for cpu and memory, e.g. { requests: { cpu: '250m', memory: '256Mi' }, limits: { cpu: '1', memory: '1Gi' } }`);
  }
  assertQuantity(`${what}.requests.cpu`, r.requests.cpu);
  assertQuantity(`${what}.requests.memory`, r.requests.memory);
  assertQuantity(`${what}.limits.cpu`, r.limits.cpu);
  assertQuantity(`${what}.limits.memory`, r.limits.memory);
}

export function resourcesJson(r: Resources): Record<string, unknown> {
  return {
    requests: { cpu: r.requests.cpu, memory: r.requests.memory },
    limits: { cpu: r.limits.cpu, memory: r.limits.memory },
  };
}
