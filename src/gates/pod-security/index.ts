export { checkPodSecurity, type PodSecurityContext } from './check.ts';
export {
  ALLOWED_SELINUX_TYPES,
  ALLOWED_SYSCTLS,
  BASELINE_CAPABILITIES,
  POD_SECURITY_CONTROLS,
  RESTRICTED_VOLUME_SOURCES,
  type PodSecurityControl,
  type PodSecurityControlId,
  type PodSecurityLevel,
} from './controls.ts';
export { findPodSpec, POD_KINDS, type PodSpecLocation } from './pod-spec.ts';
export { runPodSecurityConformance, type SuiteResult } from './conformance.ts';
