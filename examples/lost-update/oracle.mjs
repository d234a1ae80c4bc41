// `looptape explore … --until js:examples/lost-update/oracle.mjs`: true when a run shows this example's bug.
import { exampleOracle } from '../lib/oracle.mjs';

export default exampleOracle('lost-update');
