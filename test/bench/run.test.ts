import { describe, expect, it } from 'vitest';
import { parseBenchArgs, workerFailure } from '../../src/bench/run.ts';
import { LOCKSTEP_STAGES } from '../../src/bench/stages.ts';

describe('parseBenchArgs', () => {
  it('runs every stage of every approach once by default', () => {
    expect(parseBenchArgs(['--agents', '1000'])).toEqual({ agents: 1000, json: false, stages: [...LOCKSTEP_STAGES], repeat: 1, approaches: ['lockstep', 'floor', 'cdk8s-plus'] });
  });

  it('reads --json, --stages, --repeat, --approaches and --cpu-prof', () => {
    expect(parseBenchArgs(['--agents', '50', '--json', '--stages', 'build,render', '--repeat', '3', '--approaches', 'lockstep', '--cpu-prof', 'prof'])).toEqual({
      agents: 50,
      json: true,
      stages: ['build', 'render'],
      repeat: 3,
      approaches: ['lockstep'],
      cpuProfDir: 'prof',
    });
  });

  it('reads a comma-separated --agents as a scaling run over every size', () => {
    expect(parseBenchArgs(['--agents', '5000,10000'])).toMatchObject({ agents: 5000, scaling: [5000, 10000] });
    expect(parseBenchArgs(['--agents', '5000'])).not.toHaveProperty('scaling');
  });

  it('fails when --agents is missing', () => {
    expect(() => parseBenchArgs(['--json'])).toThrow(/--agents is required/);
  });

  it('fails when --agents or --repeat is not a whole number ≥ 1', () => {
    expect(() => parseBenchArgs(['--agents', '0'])).toThrow(/--agents must be a whole number ≥ 1, got "0"/);
    expect(() => parseBenchArgs(['--agents', '100,x'])).toThrow(/--agents must be a whole number ≥ 1, got "x"/);
    expect(() => parseBenchArgs(['--agents', '10', '--repeat', '1.5'])).toThrow(/--repeat must be a whole number ≥ 1, got "1.5"/);
  });

  it('fails when a flag has no value', () => {
    expect(() => parseBenchArgs(['--agents'])).toThrow(/--agents needs a value/);
    expect(() => parseBenchArgs(['--agents', '--json'])).toThrow(/--agents needs a value/);
  });

  it('fails when --stages or --approaches names something unknown', () => {
    expect(() => parseBenchArgs(['--agents', '1', '--stages', 'build,lint'])).toThrow(/--stages takes a comma-separated list of build, sbom, render.*; got "build,lint"/);
    expect(() => parseBenchArgs(['--agents', '1', '--approaches', 'kustomize'])).toThrow(/--approaches takes a comma-separated list of lockstep, floor, cdk8s-plus; got "kustomize"/);
  });

  it('fails when an option is unknown', () => {
    expect(() => parseBenchArgs(['--agents', '1', '--fast'])).toThrow(/unknown option "--fast"/);
  });
});

describe('workerFailure', () => {
  it('names the approach, the exit code, the end of stderr and how to rerun the worker', () => {
    const e = workerFailure('floor', 1, 'line 1\nError: disk full\n', ['node', 'worker.ts', '--approach', 'floor']);
    expect(e.message).toMatch(/bench worker for floor exited with code 1: line 1\nError: disk full; run it alone: node worker.ts --approach floor/);
    expect(workerFailure('lockstep', null, '', []).message).toMatch(/exited with code null: \(no output\)/);
  });
});
