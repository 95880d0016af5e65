/** Kubernetes API verbs. `'*'` is a wildcard and needs an acknowledgement. */
export type Verb =
  | 'get'
  | 'list'
  | 'watch'
  | 'create'
  | 'update'
  | 'patch'
  | 'delete'
  | 'deletecollection'
  | 'impersonate'
  | 'bind'
  | 'escalate'
  | 'use'
  | 'approve'
  | 'sign'
  | '*';

export const Verbs = {
  /** get, list, watch */
  READ: ['get', 'list', 'watch'] as readonly Verb[],
  /** create, update, patch, delete */
  WRITE: ['create', 'update', 'patch', 'delete'] as readonly Verb[],
  /** get, list, watch, create, update, patch, delete, deletecollection */
  READ_WRITE: ['get', 'list', 'watch', 'create', 'update', 'patch', 'delete', 'deletecollection'] as readonly Verb[],
  /** get, update, patch — what a controller needs on status subresources. */
  STATUS: ['get', 'update', 'patch'] as readonly Verb[],
} as const;

export const READ_VERBS: ReadonlySet<Verb> = new Set<Verb>(['get', 'list', 'watch', '*']);
