#!/usr/bin/env node
// The bundled build (npm install runs it): one small module graph starts fastest.
import { main } from '../dist/bundle/main.js';

main(process.argv.slice(2)).then((code) => { if (typeof code === 'number') process.exitCode = code; });
