export function findElectronBinary(): { ok: true; path: string } | { ok: false; reason: string };
