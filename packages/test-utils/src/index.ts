export { arePortsFree, firstEphemeralPort, freePortRange } from './free-ports.js';
export { LineBuffer, type LineMatcher, type WaitForLineOptions, waitForLine } from './lines.js';
export { needsProc, procMounted } from './platform.js';
export {
  type FixtureExit,
  type FixtureProcess,
  fixtureEnv,
  nodeArgsFor,
  type SpawnFixtureOptions,
  spawnFixture,
} from './spawn-fixture.js';
export { type StagedFixture, stageFixture } from './stage.js';
export { createTempDir, type TempDir } from './temp-dir.js';
