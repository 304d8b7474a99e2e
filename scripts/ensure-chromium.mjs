// End-to-end tests drive Debian's Chromium (Playwright's own browser downloads are unreachable).
// Installs it when missing and we are root; otherwise says what to run.
import { execSync } from 'node:child_process';
import { existsSync } from 'node:fs';

const CHROMIUM = process.env.SCOREBENCH_CHROMIUM ?? '/usr/bin/chromium';
if (existsSync(CHROMIUM)) process.exit(0);
if (process.platform !== 'linux' || process.getuid?.() !== 0) {
  console.error(`Chromium not found at ${CHROMIUM}. Install it (Debian: sudo apt-get install -y chromium) or set SCOREBENCH_CHROMIUM.`);
  process.exit(1);
}
console.log('Installing Debian chromium for the end-to-end tests…');
execSync('apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium >/dev/null', {
  stdio: 'inherit',
  shell: '/bin/bash',
});
