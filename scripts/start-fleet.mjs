#!/usr/bin/env node
// `npm start`: the whole fleet on one machine. The worker is not there yet; say so plainly.
console.error("fixfleet: `npm start` (ingest + worker + dashboard on one machine) is coming in a later version.");
console.error("For now: `npm run start:ingest` once the ingest service lands; see README.md.");
process.exit(1);
