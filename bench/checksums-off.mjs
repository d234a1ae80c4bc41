// Loaded by bench/checksum.mjs only (NODE_OPTIONS=--import=…/bench/checksums-off.mjs, in the
// processes of the "without" runs): the same looptape with the recording's checksum work taken
// out, to measure what that work costs a whole `looptape record` or `looptape events|report|verify`.
// Nothing in looptape reads or ships this file: it replaces methods of the recording package's
// built modules (the same module instances looptape loads), and a file it writes carries no
// valid checksums (it reads back only with this file loaded too).
import { GroupCrc } from '../packages/recording/dist/checksum.js';
import { WriteGroups } from '../packages/recording/dist/groups.js';
import { FlushTally, Integrity } from '../packages/recording/dist/integrity.js';

// Writing: a write group's rows are counted, not summed (the writer stores 0 as their checksum).
GroupCrc.prototype.add = function add() {
  this.rows++;
};
GroupCrc.prototype.addRow = GroupCrc.prototype.add;
GroupCrc.prototype.digest = () => 0;
GroupCrc.prototype.reset = function reset() {
  this.rows = 0;
};

// Reading: rows go straight on, as from a file without checksums (no group is held back).
WriteGroups.prototype.checked = function* checked(rows) {
  yield* rows;
};
for (const name of ['event', 'chunk', 'pair', 'summary']) Integrity.prototype[name] = () => {};
FlushTally.prototype.add = () => {};
FlushTally.prototype.finish = () => {};
