// Builds the browser UIs (React, by Vite) into dist/apps/<app>/web, where their apps serve them from.
// One configuration for both: the UI's folder, its URL prefix, the shared library's alias.
const path = require('node:path');

const root = path.join(__dirname, '..', '..');

async function main() {
  const { build } = await import('vite');
  for (const app of ['inbox', 'admin']) {
    await build({
      configFile: false,
      logLevel: 'warn',
      root: path.join(root, 'apps', app, 'web'),
      base: `/${app}/`,
      resolve: { alias: { '@crescent/web': path.join(root, 'libs', 'web', 'src') } },
      build: {
        outDir: path.join(root, 'dist', 'apps', app, 'web'),
        emptyOutDir: true,
        // No inline script or data: URL: the Content-Security-Policy allows files from the app only.
        modulePreload: { polyfill: false },
        assetsInlineLimit: 0,
      },
    });
  }
}

main().catch((error) => {
  console.error(error);
  process.exit(1);
});
