// Copies the event contracts' JSON (schemas and fixtures) beside their compiled loader in dist/, which
// reads them from its own folder: the admin's preview checks a sample against them.
const fs = require('node:fs');
const path = require('node:path');

const source = path.join(__dirname, '..', '..', 'contracts', 'events');
const target = path.join(__dirname, '..', '..', 'dist', 'contracts', 'events');
for (const folder of ['', 'fixtures']) {
  fs.mkdirSync(path.join(target, folder), { recursive: true });
  for (const file of fs.readdirSync(path.join(source, folder))) {
    if (file.endsWith('.json')) fs.copyFileSync(path.join(source, folder, file), path.join(target, folder, file));
  }
}
