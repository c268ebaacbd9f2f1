// `npm start` is the demo: it seeds the demo agencies and runs on the demo's public secrets.
// The apps themselves never assume the demo; SEED_DEMO=false here starts a real deployment.
process.env.SEED_DEMO ??= 'true';
