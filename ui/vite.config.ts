import { defineConfig } from 'vite'
import solid from 'vite-plugin-solid'

// The admin UI is served by the keypool server at `/`; in `vite dev` the API and proxy routes go to a running server.
const target = process.env.KEYPOOL_URL ?? 'http://127.0.0.1:3001'

export default defineConfig({
  root: import.meta.dirname,
  plugins: [solid()],
  build: {
    outDir: 'dist',
    emptyOutDir: true,
    target: 'es2022',
    // Hashed files under assets/ are served with an immutable cache header (server/ui/headers.ts).
    assetsDir: 'assets',
    reportCompressedSize: false,
  },
  server: {
    proxy: { '/api': target, '/proxy': target, '/health': target },
  },
})
