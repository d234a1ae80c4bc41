// `looptape test … --until js:examples/timeout-race/oracle.mjs`: true when a run shows this example's bug.
import { exampleOracle } from '../lib/oracle.mjs';

export default exampleOracle('timeout-race');
