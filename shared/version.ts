// The app's version, named to other desks in a version mismatch. Kept equal to package.json's
// "version" by tests/unit/version.test.ts (a JSON import would not bundle the same way in every host).
export const APP_VERSION = '0.1.0';
