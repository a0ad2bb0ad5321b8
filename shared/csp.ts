// The renderer's Content Security Policy, one string for every place that sends it: the app://
// responses (Electron) and the browser host. renderer/index.html's meta tag carries the same
// policy (a test compares them). 'wasm-unsafe-eval' lets the camera's worker compile its bundled
// WebAssembly (ZXing); it allows no eval of JavaScript and no code from anywhere but the app.
export const CONTENT_SECURITY_POLICY =
  "default-src 'self'; script-src 'self' 'wasm-unsafe-eval'; style-src 'self'; img-src 'self' data:; connect-src 'self'; object-src 'none'; base-uri 'none'; form-action 'none'; frame-ancestors 'none'";
