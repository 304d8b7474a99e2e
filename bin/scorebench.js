#!/usr/bin/env node
// The CLI lives in the build (electron-vite bundles src-main/cli/main.ts to out/main/cli.js).
const { existsSync } = require('node:fs');
const { join } = require('node:path');

const cli = join(__dirname, '..', 'out', 'main', 'cli.js');
if (!existsSync(cli)) {
  process.stderr.write(`scorebench: the build is missing (${cli}); run "npm run build" in ${join(__dirname, '..')}\n`);
  process.exit(2);
}
require(cli);
