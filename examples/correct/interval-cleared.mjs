// Correct: a polling interval that stops itself once the work is done (or after
// five polls), so nothing is left scheduled at exit. Runs about 40 ms, exit 0.
let polls = 0;
let ready = false;
setTimeout(() => (ready = true), 30); // the work we poll for finishes at 30 ms

const poller = setInterval(() => {
  polls += 1;
  console.log(`poll ${polls}: ${ready ? 'ready' : 'waiting'}`);
  if (ready || polls === 5) clearInterval(poller);
}, 20);
