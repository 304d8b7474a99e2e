/** The Vulkan driver finder names a driver whose ICD file exists, with the variables a child needs, or says why there is none. */
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';
// @ts-expect-error -- a plain .mjs script without types.
import { findVulkanDriver } from '../../../scripts/ensure-vulkan-driver.mjs';

test('the finder gives an existing ICD and the environment pointing at it, or a reason naming what is missing', () => {
  const driver = findVulkanDriver() as { name?: string; icd?: string; env?: Record<string, string>; reason?: string };
  if (driver.name) {
    assert.ok(existsSync(driver.icd!), driver.icd);
    assert.equal(driver.env!.VK_ICD_FILENAMES, driver.icd);
    assert.match(driver.name, /^(lavapipe \(Mesa (2[5-9]|[3-9]\d)\.|SwiftShader)/);
  } else assert.match(driver.reason ?? '', /lavapipe.*SwiftShader/);
});

// Only where lavapipe is installed: elsewhere the script, as root, would install it.
const lavapipe = String(findVulkanDriver().name ?? '').startsWith('lavapipe');
test('run as a script where lavapipe is installed, it installs nothing and prints the driver the WebGPU tests use', { skip: !lavapipe && 'lavapipe is not installed' }, () => {
  const out = execFileSync(process.execPath, [join(__dirname, '../../../scripts/ensure-vulkan-driver.mjs')], { encoding: 'utf8' });
  assert.match(out, /^WebGPU tests: software Vulkan driver .+, \/.+\.json/);
});
