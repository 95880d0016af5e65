import type { Command } from '../command.ts';

/** A command as `lockstep --help` lists it; its module (and everything it imports) loads on first use. */
export interface CommandEntry {
  readonly name: string;
  readonly summary: string;
  load(): Promise<Command>;
}

/**
 * Every command, in the order `lockstep --help` lists them. Loaded lazily: importing every command's
 * module graph took ~0.8 s of each CLI start, a single command's a fraction of it. Names and
 * summaries are repeated here from the commands; test/cli/commands-index.test.ts keeps them equal.
 */
export const commandIndex: readonly CommandEntry[] = [
  { name: 'build', summary: 'The main job: run every pipeline stage for every environment that can run locally', load: async () => (await import('./build.ts')).buildCommand },
  { name: 'synth', summary: 'Render every environment into dist/<env>/manifests (atomically, byte-for-byte reproducible)', load: async () => (await import('./synth.ts')).synthCommand },
  { name: 'check', summary: 'Evaluate the admission policies and policies/ against dist/<env>; write PolicyReport, SARIF and JUnit', load: async () => (await import('./check.ts')).checkCommand },
  { name: 'argocd', summary: 'Generate argocd/<env>/: an AppProject and Applications per environment, from a fresh render', load: async () => (await import('./argocd.ts')).argocdCommand },
  { name: 'ci', summary: 'Run the gates of a CI workflow locally, in the same order (pr, staging or production)', load: async () => (await import('./ci.ts')).ciCommand },
  { name: 'policy test', summary: 'Run every kyverno-test.yaml under DIR like `kyverno test` (offline, built-in engines)', load: async () => (await import('./policy-test.ts')).policyTestCommand },
  { name: 'conformance', summary: "Replay the third-party suites (Kyverno, kyverno-json, Sigstore, cosign, syft) against Lockstep's built-in engines", load: async () => (await import('./conformance.ts')).conformanceCommand },
  { name: 'sign', summary: 'Write dist/<env>/release.json and sign it (Sigstore bundle + SLSA provenance attestation)', load: async () => (await import('./sign.ts')).signCommand },
  { name: 'verify', summary: 'Check that dist/<env> is exactly the signed release, signed by a trusted key', load: async () => (await import('./verify.ts')).verifyCommand },
  { name: 'promote', summary: 'Promote a verified release by digest, with recorded approvals, then sign and lock the target', load: async () => (await import('./promote.ts')).promoteCommand },
  { name: 'rollback', summary: 'Re-pin an earlier signed release from the lock history, re-render, sign and record it', load: async () => (await import('./promote.ts')).rollbackCommand },
  { name: 'images pin', summary: 'Resolve unpinned image tags to digests and record them in environments/images.lock.yaml', load: async () => (await import('./images-pin.ts')).imagesPinCommand },
  { name: 'sbom', summary: 'Report which images of a rendering have a valid SBOM in sboms/ (and generate missing ones with syft)', load: async () => (await import('./sbom.ts')).sbomCommand },
  { name: 'report', summary: 'Write a self-contained HTML release report (policies, supply chain, network graph, RBAC)', load: async () => (await import('./report.ts')).reportCommand },
  { name: 'diff', summary: 'Render a base revision and the head, diff the manifests and classify the risks (PR comment)', load: async () => (await import('./diff.ts')).diffCommand },
  { name: 'generate-key-pair', summary: 'Create a cosign key pair (<prefix>.key encrypted with COSIGN_PASSWORD, <prefix>.pub)', load: async () => (await import('./generate-key-pair.ts')).generateKeyPairCmd },
  { name: 'public-key', summary: 'Print (or write) the public key of a cosign private key', load: async () => (await import('./public-key.ts')).publicKeyCmd },
  { name: 'sign-blob', summary: 'Sign a file with a key (cosign sign-blob --key): Sigstore bundle and/or base64 signature', load: async () => (await import('./sign-blob.ts')).signBlobCmd },
  { name: 'verify-blob', summary: "Verify a file's signature with a public key (cosign verify-blob --key)", load: async () => (await import('./verify-blob.ts')).verifyBlobCmd },
  { name: 'verify-blob-attestation', summary: 'Verify a DSSE in-toto attestation of a file with a public key (cosign verify-blob-attestation)', load: async () => (await import('./verify-blob-attestation.ts')).verifyBlobAttestationCmd },
];

/** Every command, loaded (tests, documentation). */
export async function loadCommands(): Promise<Command[]> {
  return Promise.all(commandIndex.map((c) => c.load()));
}
