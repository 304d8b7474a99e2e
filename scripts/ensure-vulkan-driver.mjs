// Finds a software Vulkan driver for the WebGPU tests, which run without a GPU: Dawn (the `webgpu`
// package) computes on Mesa's lavapipe from Mesa 25 (Debian 12's own Mesa 22.3 is refused by Dawn),
// or on SwiftShader, which Debian's Chromium package ships (correct but very slow: tiny tests only).
//
// Run as a script (`npm test` does): when no lavapipe ≥ 25 is installed and we are root on Debian
// bookworm, installs it from bookworm-backports; then prints which driver the WebGPU tests will use,
// or why they will be skipped. Imported (the tests do): findVulkanDriver() only looks.
import { execFileSync } from 'node:child_process';
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

// Mesa 25 names it lvp_icd.json; older Mesa added the architecture.
const LAVAPIPE_ICDS = ['lvp_icd.json', 'lvp_icd.x86_64.json', 'lvp_icd.aarch64.json'].map((name) => `/usr/share/vulkan/icd.d/${name}`);
const LAVAPIPE_MIN_MESA = 25;
const CHROMIUM_DIR = '/usr/lib/chromium';
const SWIFTSHADER_ICD = join(CHROMIUM_DIR, 'vk_swiftshader_icd.json');
const SYSTEM_LOADERS = ['/usr/lib/x86_64-linux-gnu/libvulkan.so.1', '/usr/lib/aarch64-linux-gnu/libvulkan.so.1'];
const BACKPORTS_LIST = '/etc/apt/sources.list.d/bookworm-backports.list';
const BACKPORTS_LINE = 'deb http://deb.debian.org/debian bookworm-backports main';

/** The installed version of a Debian package, or null. */
function debVersion(pkg) {
  try {
    return execFileSync('dpkg-query', ['-W', '-f', '${Version}', pkg], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'ignore'] }).trim() || null;
  } catch {
    return null;
  }
}

const major = (version) => Number.parseInt(String(version).replace(/^\d+:/, ''), 10);

/**
 * The driver to run Dawn on: `{ name, icd, env }` (env: the variables a child process needs: the ICD,
 * and where the Vulkan loader is when it is not the system's), or `{ reason }` saying why there is none.
 */
export function findVulkanDriver() {
  const systemLoader = SYSTEM_LOADERS.some((path) => existsSync(path));
  const mesa = debVersion('mesa-vulkan-drivers');
  const lavapipe = LAVAPIPE_ICDS.find((path) => existsSync(path));
  const base = { XDG_RUNTIME_DIR: process.env.XDG_RUNTIME_DIR ?? '/tmp' };
  if (lavapipe && systemLoader && mesa && major(mesa) >= LAVAPIPE_MIN_MESA)
    return { name: `lavapipe (Mesa ${mesa})`, icd: lavapipe, env: { ...base, VK_ICD_FILENAMES: lavapipe } };
  if (existsSync(SWIFTSHADER_ICD)) {
    // Chromium ships its own Vulkan loader beside the driver; Dawn dlopens libvulkan.so.1 by name.
    const loaderDir = systemLoader ? null : existsSync(join(CHROMIUM_DIR, 'libvulkan.so.1')) ? CHROMIUM_DIR : null;
    if (systemLoader || loaderDir) {
      const env = { ...base, VK_ICD_FILENAMES: SWIFTSHADER_ICD };
      if (loaderDir) env.LD_LIBRARY_PATH = [loaderDir, process.env.LD_LIBRARY_PATH].filter(Boolean).join(':');
      return { name: "SwiftShader (Chromium's)", icd: SWIFTSHADER_ICD, env };
    }
  }
  const found = lavapipe ? `lavapipe from Mesa ${mesa ?? '?'} (Dawn needs Mesa ≥ ${LAVAPIPE_MIN_MESA})` : 'no lavapipe';
  return { reason: `${found}, no SwiftShader at ${SWIFTSHADER_ICD}` };
}

function isBookworm() {
  try {
    return /VERSION_CODENAME=bookworm/.test(readFileSync('/etc/os-release', 'utf8'));
  } catch {
    return false;
  }
}

/** Installs lavapipe from bookworm-backports; returns null when done, else why not. */
function installLavapipe() {
  if (process.platform !== 'linux' || process.getuid?.() !== 0) return 'not root: lavapipe is not installed (apt-get install -t bookworm-backports mesa-vulkan-drivers)';
  if (!isBookworm()) return 'not Debian bookworm: install Mesa ≥ 25 (mesa-vulkan-drivers) yourself for lavapipe';
  const run = (cmd, args) => execFileSync(cmd, args, { stdio: ['ignore', 'ignore', 'pipe'], env: { ...process.env, DEBIAN_FRONTEND: 'noninteractive' }, timeout: 600_000 });
  try {
    const lists = ['/etc/apt/sources.list', BACKPORTS_LIST].filter((p) => existsSync(p)).map((p) => readFileSync(p, 'utf8'));
    let sources = '';
    try {
      sources = execFileSync('sh', ['-c', 'cat /etc/apt/sources.list.d/*'], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'ignore'] });
    } catch {
      // No sources.list.d files.
    }
    if (![...lists, sources].some((text) => /bookworm-backports/.test(text))) writeFileSync(BACKPORTS_LIST, `${BACKPORTS_LINE}\n`);
    run('apt-get', ['update', '-qq']);
    const policy = execFileSync('apt-cache', ['policy', 'mesa-vulkan-drivers'], { encoding: 'utf8' });
    const candidates = [...policy.matchAll(/^\s+(?:\*\*\* )?(\S+) \d+\s*$/gm)].map((m) => m[1]);
    if (!candidates.some((v) => major(v) >= LAVAPIPE_MIN_MESA)) return `no mesa-vulkan-drivers ≥ ${LAVAPIPE_MIN_MESA} offered (apt-cache policy: ${candidates.join(', ') || 'none'})`;
    run('apt-get', ['install', '-y', '-qq', '--no-install-recommends', '-t', 'bookworm-backports', 'mesa-vulkan-drivers', 'libvulkan1']);
    return null;
  } catch (err) {
    return `installing lavapipe failed: ${String(err.stderr || err.message).trim().split('\n').at(-1)}`;
  }
}

if (process.argv[1] && fileURLToPath(import.meta.url) === process.argv[1]) {
  let driver = findVulkanDriver();
  let note = '';
  if (!driver.name?.startsWith('lavapipe')) {
    const failed = installLavapipe();
    if (failed) note = ` (${failed})`;
    else driver = findVulkanDriver();
  }
  if (driver.name) console.log(`WebGPU tests: software Vulkan driver ${driver.name}, ${driver.icd}${note}`);
  else console.log(`WebGPU tests will be skipped: ${driver.reason}${note}`);
}
