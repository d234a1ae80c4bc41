// Correct: graceful shutdown of a server whose clients keep their connections
// alive. After the last request it stops accepting (server.close()), closes the
// idle keep-alive sockets so close() can finish, and ends by itself when they are
// gone. Runs about 100 ms, exit 0.
import http from 'node:http';

const server = http.createServer((req, res) => {
  setTimeout(() => res.end(`done ${req.url}`), 10);
});
const agent = new http.Agent({ keepAlive: true, maxSockets: 2 });

function get(path) {
  return new Promise((resolve, reject) => {
    http.get({ host: '127.0.0.1', port: server.address().port, path, agent }, (res) => {
      let body = '';
      res.setEncoding('utf8').on('data', (d) => (body += d)).on('end', () => resolve(`${res.statusCode} ${body}`));
    }).on('error', reject);
  });
}

function shutdown() {
  server.close(() => console.log('server closed'));
  server.closeIdleConnections(); // keep-alive sockets would hold close() open otherwise
  agent.destroy();
}

server.listen(0, '127.0.0.1', async () => {
  const answers = await Promise.all(['/a', '/b', '/c', '/d'].map(get));
  console.log(answers.join(', '));
  shutdown();
});
