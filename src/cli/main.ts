// Entry point (placeholder until the engine lands).
process.stdout.write('tsinit: not yet implemented\n');
