// `looptape explore … --until js:examples/pg-double-book/oracle.mjs`: a run shows the bug when
// one seat was booked twice (two 201 answers to POST /book for it).
export default function doubleBooked(run) {
  const booked = run.responses.filter((r) => r.method === 'POST' && r.url === '/book' && r.status === 201).map((r) => JSON.parse(r.body).seat);
  const twice = booked.find((seat, i) => booked.indexOf(seat) !== i);
  return twice ? `seat ${twice} booked twice` : false;
}
