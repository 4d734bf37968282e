#!/usr/bin/env node
// Makes sure the browser tests have a Chromium to drive. Playwright's own browser download cannot
// work on our machines, so we use Debian's `chromium` package (CHROMIUM_PATH overrides the path).
// As root on Debian/Ubuntu we install it; otherwise we print exactly what to run.
import { existsSync } from 'node:fs';
import { execSync } from 'node:child_process';

const path = process.env.CHROMIUM_PATH || '/usr/bin/chromium';
if (existsSync(path)) process.exit(0);

if (process.env.CHROMIUM_PATH) {
  console.error(`CHROMIUM_PATH=${path} does not exist. Point it at a Chromium or Chrome executable.`);
  process.exit(1);
}

const isRoot = typeof process.getuid === 'function' && process.getuid() === 0;
const hasApt = existsSync('/usr/bin/apt-get');
if (isRoot && hasApt) {
  console.log("Chromium not found at /usr/bin/chromium: installing Debian's chromium package (apt-get)…");
  const env = { ...process.env, DEBIAN_FRONTEND: 'noninteractive' };
  execSync('apt-get update -qq', { stdio: 'inherit', env });
  execSync('apt-get install -y -qq chromium', { stdio: 'inherit', env });
  if (existsSync(path)) process.exit(0);
  console.error('apt-get finished but /usr/bin/chromium is still missing.');
  process.exit(1);
}

console.error(
  'The browser tests need Chromium at /usr/bin/chromium. Install it with:\n' +
    '  sudo apt-get update && sudo apt-get install -y chromium\n' +
    'or set CHROMIUM_PATH to a Chromium/Chrome executable with WebGPU support.',
);
process.exit(1);
