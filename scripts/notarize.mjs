/**
 * electron-builder `afterSign` hook (electron-builder.yml): notarizes the signed macOS app with
 * Apple's notary service. Credentials come only from the environment of the release machine
 * (APPLE_ID, APPLE_APP_SPECIFIC_PASSWORD, APPLE_TEAM_ID); nothing secret lives in the repository.
 * Without them a local build is left un-notarized and says so; GUARDIA_RELEASE=1 makes that an error.
 */
import { join } from 'node:path';

/** The environment variables a notarized release needs. */
export const notarizeEnv = ['APPLE_ID', 'APPLE_APP_SPECIFIC_PASSWORD', 'APPLE_TEAM_ID'];

export async function afterSign(context) {
  if (context.electronPlatformName !== 'darwin') return;
  const missing = notarizeEnv.filter((name) => !process.env[name]);
  if (missing.length) {
    const message = `guardia: macOS app not notarized: set ${missing.join(', ')} in the release environment`;
    if (process.env.GUARDIA_RELEASE === '1') throw new Error(message);
    console.warn(message);
    return;
  }
  const { notarize } = await import('@electron/notarize');
  const appPath = join(context.appOutDir, `${context.packager.appInfo.productFilename}.app`);
  await notarize({
    appPath,
    appleId: process.env.APPLE_ID,
    appleIdPassword: process.env.APPLE_APP_SPECIFIC_PASSWORD,
    teamId: process.env.APPLE_TEAM_ID,
  });
  console.log(`guardia: notarized ${appPath}`);
}

export default afterSign;
