// Copies the contracts' JSON (event schemas and fixtures, message schemas) beside their compiled loaders
// in dist/ (or the compiled tree named, as dist/bench), which read them from their own folders: the admin's
// preview checks a sample against them, and every record written is checked against its event's schema.
const fs = require('node:fs');
const path = require('node:path');

const source = path.join(__dirname, '..', '..', 'contracts');
const target = path.join(__dirname, '..', '..', process.argv[2] ?? 'dist', 'contracts');
for (const folder of ['events', 'events/fixtures', 'messages']) {
  fs.mkdirSync(path.join(target, folder), { recursive: true });
  for (const file of fs.readdirSync(path.join(source, folder))) {
    if (file.endsWith('.json')) fs.copyFileSync(path.join(source, folder, file), path.join(target, folder, file));
  }
}
