// `looptape explore … --until js:examples/price-race/oracle.mjs`: true when a run shows this example's bug.
import { exampleOracle } from '../lib/oracle.mjs';

export default exampleOracle('price-race');
