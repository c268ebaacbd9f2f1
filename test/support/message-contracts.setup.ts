import { takeContractProblems } from './kafka';

// Every message an e2e test read from a topic fits the schema its ce_dataschema names.
afterEach(() => {
  expect(takeContractProblems()).toEqual([]);
});
