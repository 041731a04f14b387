#!/usr/bin/env node
// Entry point of the `openpsirt` command. Needs Node.js 24 (type stripping); `npx openpsirt` and
// `npm run openpsirt --` use the project's pinned Node.
import '../src/main.ts';
