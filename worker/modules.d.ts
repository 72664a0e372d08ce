/** Non-code modules the Worker bundles (wrangler.toml [[rules]]). */
declare module "*.woff2" {
  const data: ArrayBuffer;
  export default data;
}
