// pg-transfers, changed: the debit refuses to overdraw (one more condition in its UPDATE), so it
// sends another query than the recorded one: `looptape replay` names it. Otherwise server.mjs.
// pg-transfers: an Express service over PostgreSQL with a pg.Pool of 2 connections.
// POST /transfer {from, to, amount} moves money in a transaction (BEGIN, two UPDATEs, COMMIT);
// GET /report queries a table that does not exist (a 500 naming the database's error);
// GET /accounts lists the balances. Creates and fills its table at start, and closes the pool
// after $REQUESTS responses. Connection settings: PGHOST, PGPORT, PGUSER, PGPASSWORD, PGDATABASE.
import express from 'express';
import pg from 'pg';

const pool = new pg.Pool({ max: 2 });
await pool.query('CREATE TABLE IF NOT EXISTS accounts (id int PRIMARY KEY, balance int NOT NULL)');
await pool.query('INSERT INTO accounts SELECT id, 100 FROM generate_series(1, 6) AS id ON CONFLICT (id) DO NOTHING');

const app = express();
app.use(express.json());

app.post('/transfer', async (req, res) => {
  const { from, to, amount } = req.body;
  const client = await pool.connect();
  try {
    await client.query('BEGIN');
    await client.query('UPDATE accounts SET balance = balance - $1 WHERE id = $2 AND balance >= $1', [amount, from]); // changed: no overdraft
    await client.query('UPDATE accounts SET balance = balance + $1 WHERE id = $2', [amount, to]);
    await client.query('COMMIT');
    res.json({ from, to, amount });
  } catch (error) {
    await client.query('ROLLBACK');
    res.status(500).json({ error: error.message });
  } finally {
    client.release();
  }
});

app.get('/report', async (req, res) => {
  try {
    const { rows } = await pool.query('SELECT * FROM ledger WHERE amount > $1', [10]);
    res.json(rows);
  } catch (error) {
    res.status(500).json({ error: error.message, code: error.code });
  }
});

app.get('/accounts', async (req, res) => {
  const { rows } = await pool.query('SELECT id, balance FROM accounts ORDER BY id');
  res.json(rows);
});

const limit = Number(process.env.REQUESTS || 7);
let finished = 0;
const server = app.listen(Number(process.env.PORT || 0), '127.0.0.1', () => {
  console.log(`listening on http://127.0.0.1:${server.address().port}`);
});
server.on('request', (req, res) => {
  res.on('close', () => {
    if (++finished === limit) server.close(() => pool.end());
  });
});
