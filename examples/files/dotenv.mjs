// Loads its settings from a .env file beside it, as dotenv does, and says which it found.
import fs from 'node:fs';

const settings = Object.fromEntries(fs.readFileSync(process.argv[2] ?? '.env', 'utf8').split('\n').filter((l) => l.includes('=')).map((l) => l.split('=', 2)));
console.log(`settings: ${Object.keys(settings).sort().join(', ')}; API_TOKEN set: ${Boolean(settings.API_TOKEN)}`);
