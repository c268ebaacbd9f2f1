// Writes the key pair the test deployment signs Kafka tokens with:
//   node token-keys.js <folder>
// token-signing.pem (private, owner-only) is what the exchange signs with; jwks.json (public)
// is what the broker checks signatures against. A production deployment brings its own key.
'use strict';
const { generateKeyPairSync } = require('node:crypto');
const { writeFileSync } = require('node:fs');
const { join } = require('node:path');

const folder = process.argv[2];
const keyId = 'crescent-test-1';
const { privateKey, publicKey } = generateKeyPairSync('rsa', { modulusLength: 2048 });
writeFileSync(join(folder, 'token-signing.pem'), privateKey.export({ type: 'pkcs8', format: 'pem' }), { mode: 0o600 });
const jwk = { ...publicKey.export({ format: 'jwk' }), kid: keyId, alg: 'RS256', use: 'sig' };
writeFileSync(join(folder, 'jwks.json'), JSON.stringify({ keys: [jwk] }));
process.stdout.write(keyId);
