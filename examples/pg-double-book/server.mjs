// pg-double-book (buggy): POST /book {seat, person} asks PostgreSQL whether the seat is taken
// (the check), then inserts the booking (the act), as two queries on a pg.Pool of 2. Two
// requests for one seat whose checks both run before either insert both get 201: a
// check-then-act across two queries. GET /bookings lists them. Creates its table at start,
// closes after $REQUESTS responses. Connection settings: PGHOST, PGPORT, PGUSER, PGPASSWORD, PGDATABASE.
import http from 'node:http';
import pg from 'pg';

const pool = new pg.Pool({ max: 2 });
await pool.query('CREATE TABLE IF NOT EXISTS bookings (seat text NOT NULL, person text NOT NULL)');
// Both connections opened at start, as a warmed-up pool has them.
await Promise.all([pool.query('SELECT 1'), pool.query('SELECT 2')]);

async function book(seat, person) {
  const { rows } = await pool.query('SELECT count(*)::int AS taken FROM bookings WHERE seat = $1', [seat]);
  if (rows[0].taken > 0) return { status: 409, body: { seat, error: 'already booked' } };
  // BUG: another request for this seat can pass the check above before this insert is done.
  await pool.query('INSERT INTO bookings (seat, person) VALUES ($1, $2)', [seat, person]);
  return { status: 201, body: { seat, person } };
}

const limit = Number(process.env.REQUESTS || 3);
let finished = 0;
const server = http.createServer(async (req, res) => {
  res.on('close', () => {
    if (++finished === limit) server.close(() => pool.end());
  });
  let text = '';
  for await (const chunk of req) text += chunk;
  const { status, body } = req.method === 'POST' && req.url === '/book'
    ? await book(JSON.parse(text).seat, JSON.parse(text).person)
    : { status: 200, body: (await pool.query('SELECT seat, person FROM bookings ORDER BY seat, person')).rows };
  console.log(`${req.method} ${req.url}: ${status}`);
  res.writeHead(status, { 'content-type': 'application/json' });
  res.end(JSON.stringify(body));
});
server.listen(Number(process.env.PORT || 0), '127.0.0.1', () => {
  console.log(`listening on http://127.0.0.1:${server.address().port}`);
});
