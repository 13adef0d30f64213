export { LineBuffer, type LineMatcher, type WaitForLineOptions, waitForLine } from './lines.js';
export {
  type FixtureExit,
  type FixtureProcess,
  fixtureEnv,
  nodeArgsFor,
  type SpawnFixtureOptions,
  spawnFixture,
} from './spawn-fixture.js';
export { createTempDir, type TempDir } from './temp-dir.js';
