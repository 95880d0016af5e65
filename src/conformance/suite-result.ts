/** The outcome of replaying one third-party suite against a built-in engine. */
export interface SuiteResult {
  suite: string;
  passed: number;
  failed: number;
  skipped: number;
  failures: string[];
}
