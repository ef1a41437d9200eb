export { createTestDatabase, createTestDataDir, type TestDatabase } from './test-database';
export { useTestEngine, uniqueName, type EngineHarness } from './engine-harness';
export { expectCrmError } from './expect-error';
export { waitFor } from './wait-for';
export { countingCompilers, type CountingCompilers } from './counting-compilers';
export { DIFFERENTIAL_DEAL_FIELDS, DIFFERENTIAL_DEAL_RULES } from './differential-deal';
