#!/usr/bin/env node
// The `lms` command. TypeScript sources run through tsx's loader, so a clone works
// without a build step.
import { Console } from 'node:console';
import { register } from 'tsx/esm/api';

// Local tools run on Node 20; the deployed functions run on nodejs22.x. The SDK's notice
// about Node 20 is for the former only and would clutter every command's output.
process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED ??= 'true';

// Commands print results on stdout; everything logged (the functions' Powertools loggers
// included, which `lms start` and `lms invoke` run in this process) goes to stderr.
// POWERTOOLS_DEV makes Powertools log through the global console, which is swapped here.
process.env.POWERTOOLS_DEV ??= 'true';
globalThis.console = new Console({ stdout: process.stderr, stderr: process.stderr });

register();
const { main } = await import('../src/cli/main.ts');
process.exitCode = await main(process.argv);
