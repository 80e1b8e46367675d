// Where the package's files are served from, for the browser loader.
//
// `vite dev` pre-bundles dependencies into node_modules/.vite/deps/ without
// their assets (its answer there is the app's HTML page); the package's own
// folder, which it also serves, still has them. Other URLs are kept. (The
// pre-bundled index.js, for pages without a bundler, has `(url) => url`.)
export function served(url) {
  if (!/\/node_modules\/\.vite\/deps\/[^/]*$/.test(url.pathname)) return url;
  return new URL(`../../liveagent-reseller/${url.pathname.split("/").pop()}`, url);
}
