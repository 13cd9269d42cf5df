#!/usr/bin/env node
import { homeboyMain } from '../dist/cli-bundle/homeboy-main.js';

process.exitCode = await homeboyMain(process.argv.slice(2));
