/**
 * electron-builder `afterPack` hook (electron-builder.yml): flips Electron's fuses in the packed
 * binary before it is signed, so a shipped Guardia cannot be turned into a general Node runtime
 * (ELECTRON_RUN_AS_NODE, NODE_OPTIONS, --inspect) and loads only its own integrity-checked app.asar.
 */
import { FuseV1Options, FuseVersion, flipFuses } from '@electron/fuses';
import { join } from 'node:path';

/** The one fuse configuration: test/unit/packaging/fuses.test.ts asserts every value. */
export const fuseConfig = {
  version: FuseVersion.V1,
  [FuseV1Options.RunAsNode]: false,
  [FuseV1Options.EnableNodeOptionsEnvironmentVariable]: false,
  [FuseV1Options.EnableNodeCliInspectArguments]: false,
  [FuseV1Options.EnableCookieEncryption]: true,
  [FuseV1Options.OnlyLoadAppFromAsar]: true,
  [FuseV1Options.EnableEmbeddedAsarIntegrityValidation]: true,
};

/** Where electron-builder put the Electron executable for this platform. */
export function electronBinaryPath(context) {
  const { appOutDir, electronPlatformName, packager } = context;
  const name = packager.appInfo.productFilename;
  if (electronPlatformName === 'darwin' || electronPlatformName === 'mas') return join(appOutDir, `${name}.app`);
  if (electronPlatformName === 'win32') return join(appOutDir, `${name}.exe`);
  return join(appOutDir, packager.executableName ?? name);
}

/** Flips the fuses; macOS binaries are re-signed ad hoc here and properly by the signing step after. */
export async function afterPack(context) {
  const target = electronBinaryPath(context);
  const isMac = context.electronPlatformName === 'darwin' || context.electronPlatformName === 'mas';
  await flipFuses(target, { ...fuseConfig, resetAdHocDarwinSignature: isMac && (context.arch === 3 || context.arch === 4) /* Arch.arm64, Arch.universal */ });
  console.log(`guardia: fuses flipped in ${target}`);
}

export default afterPack;
