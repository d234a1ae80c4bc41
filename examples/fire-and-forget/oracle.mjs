// `looptape test … --until js:examples/fire-and-forget/oracle.mjs`: true when a run shows this example's bug.
import { exampleOracle } from '../lib/oracle.mjs';

export default exampleOracle('fire-and-forget');
