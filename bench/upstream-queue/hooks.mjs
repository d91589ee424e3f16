// Module resolution hook: postgres.js's queue.js resolves to the unpatched copy next to this file.
const upstream = new URL('./queue.js', import.meta.url).href;

export async function resolve(specifier, context, nextResolve) {
  const resolved = await nextResolve(specifier, context);
  return resolved.url.endsWith('/node_modules/postgres/src/queue.js')
    ? { ...resolved, url: upstream }
    : resolved;
}
